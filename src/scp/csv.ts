/**
 * Splunk's CSV as used by SCP v2 bodies: RFC 4180, comma, `"` quoting with `""` escapes,
 * LF or CRLF line ends, first row is the header (docs/protocol.md §4).
 */

export class CsvError extends Error {
  override name = 'CsvError';
}

export interface Table {
  fields: string[];
  rows: string[][];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

const BOM = 0xfeff;

/** Parses CSV text into rows of strings. An empty text has no rows; a leading UTF-8 BOM is not data. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  let row: string[] = [];
  while (i < n) {
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      let start = i + 1;
      let acc = '';
      for (;;) {
        const q = text.indexOf('"', start);
        if (q < 0) throw new CsvError(`unterminated quoted value starting at character ${i}`);
        if (text.charCodeAt(q + 1) === QUOTE) {
          acc += text.slice(start, q + 1);
          start = q + 2;
          continue;
        }
        value = acc + text.slice(start, q);
        i = q + 1;
        break;
      }
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        j++;
      }
      value = text.slice(i, j);
      i = j;
    }
    row.push(value);
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      if (i >= n) row.push('');
      continue;
    }
    if (c === CR && text.charCodeAt(i + 1) === LF) i += 2;
    else if (c === LF || c === CR) i += 1;
    else throw new CsvError(`unexpected character ${JSON.stringify(text[i])} after a quoted value at character ${i}`);
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Parses a body into header + rows; short rows are padded with empty values. */
export function parseTable(body: Buffer | string): Table {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const all = parseCsvRows(text);
  if (all.length === 0) return { fields: [], rows: [] };
  const fields = all[0];
  const width = fields.length;
  const rows = all.length > 1 ? all.slice(1) : [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length > width) {
      throw new CsvError(`row ${r + 1} has ${row.length} values but the header has ${width} fields`);
    }
    while (row.length < width) row.push('');
  }
  return { fields, rows };
}

const NEEDS_QUOTES = /[",\r\n]/;

export function quoteCsv(value: string): string {
  if (!NEEDS_QUOTES.test(value)) return value;
  return '"' + value.replace(/"/g, '""') + '"';
}

/** One CSV line; `width` pads missing trailing values with empty ones. */
export function serializeRow(values: readonly (string | undefined)[], width = values.length): string {
  let line = '';
  for (let i = 0; i < width; i++) {
    if (i > 0) line += ',';
    line += quoteCsv(values[i] ?? '');
  }
  return line + '\n';
}

/**
 * Serialises a table. Rows end in LF, as splunkd's own bodies do; splunkd also accepts LF-only
 * replies (docs/protocol.md §4: ND's node commands, splunklib on Windows/Py3). No rows → empty body
 * when the table has no fields either.
 */
export function serializeTable(table: Table): string {
  if (table.fields.length === 0) return '';
  const width = table.fields.length;
  const parts: string[] = [serializeRow(table.fields)];
  for (const row of table.rows) parts.push(serializeRow(row, width));
  return parts.join('');
}
