/**
 * A read-only pre-pass over the rows of a chunk, before the streaming transform (row-stream.ts): visits,
 * in order, only the rows whose bytes contain `needle`, and decodes only the named columns. The needle is
 * searched once over the whole body (linear), so rows without it cost only the CSV row scan.
 */
import { CsvChunk } from './csv-chunk';

/**
 * `visit(row, values)`: row is the 0-based input row number; values follow `names` ('' when absent) in an
 * array reused from row to row. A null needle visits every row.
 */
export function scanRowsWith(
  body: Buffer,
  needle: Buffer | null,
  names: readonly string[],
  visit: (row: number, values: string[]) => void,
): void {
  if (body.length === 0) return;
  if (needle === null) return scanAll(body, names, visit);
  let hit = body.indexOf(needle);
  if (hit < 0) return;
  const chunk = new CsvChunk(body);
  const cols = names.map((n) => chunk.fields.indexOf(n));
  const values = new Array<string>(cols.length);
  let row = -1;
  while (hit >= 0 && chunk.next()) {
    row++;
    if (hit < chunk.rowStart) hit = body.indexOf(needle, chunk.rowStart); // needle was in the header
    if (hit < 0 || hit >= chunk.rowEnd) continue;
    for (let i = 0; i < cols.length; i++) values[i] = cols[i] < 0 ? '' : chunk.value(cols[i]);
    visit(row, values);
    hit = body.indexOf(needle, chunk.rowEnd);
  }
}

function scanAll(body: Buffer, names: readonly string[], visit: (row: number, values: string[]) => void): void {
  const chunk = new CsvChunk(body);
  const cols = names.map((n) => chunk.fields.indexOf(n));
  for (let row = 0; chunk.next(); row++)
    visit(
      row,
      cols.map((c) => (c < 0 ? '' : chunk.value(c))),
    );
}
