/**
 * A read-only pre-pass over the rows of a chunk, before the streaming transform (row-stream.ts): visits,
 * in order, only the rows whose bytes contain `needle`, and decodes only the named columns. The needle is
 * searched once over the whole body (linear), so rows without it cost only the CSV row scan.
 */
import { CsvChunk } from './csv-chunk';
import { rowLiterals } from './wasm/csv-index';

const needleSets = new Map<string, readonly string[]>();
/**
 * The literal set to give setRowLiterals (wasm/csv-index.ts) so that the row pass marks the rows holding
 * `needle` (in any ASCII case): scanRowsWith then visits only those, without searching the bytes again.
 */
export function needleSet(needle: string): readonly string[] {
  let set = needleSets.get(needle);
  if (set === undefined) needleSets.set(needle, (set = [needle]));
  return set;
}

/**
 * `visit(row, values, marked)`: row is the 0-based input row number; values follow `names` ('' when absent) in
 * an array reused from row to row; `marked`, when `marks` is given and the row pass searched for that set
 * (csv-index.ts), says whether the row holds one of its literals (else undefined). A null needle visits
 * every row.
 */
export function scanRowsWith(
  body: Buffer,
  needle: Buffer | null,
  names: readonly string[],
  visit: (row: number, values: string[], marked?: boolean) => void,
  marks?: readonly string[],
): void {
  if (body.length === 0) return;
  if (needle === null) return scanAll(body, names, visit);
  const set = needleSets.get(needle.toString('latin1'));
  if (set !== undefined && rowLiterals().includes(set)) {
    const chunk = new CsvChunk(body);
    if (chunk.indexed) return scanMarked(chunk, set, needle, names, visit, marks);
  }
  const find = needleFinder(body, needle);
  let hit = find(0);
  if (hit < 0) return;
  const chunk = new CsvChunk(body);
  const cols = names.map((n) => chunk.fields.indexOf(n));
  const values = new Array<string>(cols.length);
  let row = -1;
  while (hit >= 0 && chunk.next()) {
    row++;
    if (hit < chunk.rowStart) hit = find(chunk.rowStart); // needle was in the header
    if (hit < 0 || hit >= chunk.rowEnd) continue;
    for (let i = 0; i < cols.length; i++) values[i] = cols[i] < 0 ? '' : chunk.value(cols[i]);
    visit(row, values);
    hit = find(chunk.rowEnd);
  }
}

/** Candidates per byte scanned above which the last-byte search gives way to the whole-needle search. */
const CANDIDATES_PER_BYTE = 1 / 512;

/**
 * `find(from)` = `body.indexOf(needle, from)`. Searched first by the needle's last byte (memchr, ~10x
 * faster than the whole-needle search when that byte is rare, as `(` of `msg=audit(` is in most event
 * text: 76 → 6 ms per 194 MB without audit rows), each candidate then compared; when candidates turn out
 * frequent (more than one per 512 bytes), the whole-needle search takes over for the rest of the body.
 */
export function needleFinder(body: Buffer, needle: Buffer): (from: number) => number {
  const n = needle.length;
  const last = needle[n - 1];
  let candidates = 0;
  let scanned = 0;
  let whole = n < 2;
  return (from) => {
    if (whole) return body.indexOf(needle, from);
    let p = from + n - 1;
    for (;;) {
      const q = body.indexOf(last, p);
      scanned += (q < 0 ? body.length : q + 1) - p;
      if (q < 0) return -1;
      if (body.compare(needle, 0, n - 1, q - n + 1, q) === 0) return q - n + 1;
      if (++candidates > 64 && candidates > scanned * CANDIDATES_PER_BYTE) {
        whole = true;
        return body.indexOf(needle, from);
      }
      p = q + 1;
    }
  };
}

/** The rows the row pass marked as holding `needle` (any case), each confirmed by a byte search in the row. */
function scanMarked(
  chunk: CsvChunk,
  set: readonly string[],
  needle: Buffer,
  names: readonly string[],
  visit: (row: number, values: string[], marked?: boolean) => void,
  marks: readonly string[] | undefined,
): void {
  const cols = names.map((n) => chunk.fields.indexOf(n));
  const values = new Array<string>(cols.length);
  for (let row = 0; chunk.next(); row++) {
    if (chunk.mayContain(set) !== true) continue;
    const at = chunk.buf.indexOf(needle, chunk.rowStart);
    if (at < 0 || at + needle.length > chunk.rowEnd) continue;
    for (let i = 0; i < cols.length; i++) values[i] = cols[i] < 0 ? '' : chunk.value(cols[i]);
    visit(row, values, marks === undefined ? undefined : chunk.mayContain(marks));
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
