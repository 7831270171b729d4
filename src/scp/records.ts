/**
 * A chunk's records as a mutable table: read fields by name, set or add fields per row.
 * Output fields are the union over the chunk (splunklib's first-row-only header loses fields).
 */
import { parseTable, serializeTable, Table } from './csv';
import { mvColumn, mvPair } from './multivalue';
import type { Row, RowVisitor } from './row-stream';

export class RecordTable {
  readonly fields: string[];
  readonly rows: string[][];
  private index = new Map<string, number>();

  constructor(table: Table) {
    this.fields = table.fields;
    this.rows = table.rows;
    this.fields.forEach((f, i) => {
      if (!this.index.has(f)) this.index.set(f, i);
    });
  }

  static parse(body: Buffer | string): RecordTable {
    return new RecordTable(parseTable(body));
  }

  column(name: string): number {
    return this.index.get(name) ?? -1;
  }

  /** Column index of `name`, appending the column if the chunk does not have it yet. */
  ensureColumn(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.fields.length;
      this.fields.push(name);
      this.index.set(name, i);
    }
    return i;
  }

  /** Plain value of a field in a row (multivalues joined by LF), undefined when null/empty. */
  get(row: string[], name: string): string | undefined {
    const i = this.index.get(name);
    if (i === undefined) return undefined;
    const v = row[i];
    return v === undefined || v === '' ? undefined : v;
  }

  set(row: string[], name: string, value: string): void {
    row[this.ensureColumn(name)] = value;
    const mv = this.index.get(mvColumn(name));
    if (mv !== undefined) row[mv] = '';
  }

  setMulti(row: string[], name: string, values: readonly string[]): void {
    const [plain, mv] = mvPair(values);
    row[this.ensureColumn(name)] = plain;
    if (mv !== '' || this.index.has(mvColumn(name))) row[this.ensureColumn(mvColumn(name))] = mv;
  }

  /** Copies field `from` (plain and multivalue columns) into field `to` of the same row. */
  copyField(row: string[], from: string, to: string): void {
    const plain = this.get(row, from) ?? '';
    row[this.ensureColumn(to)] = plain;
    const srcMv = this.index.get(mvColumn(from));
    const mv = srcMv === undefined ? '' : (row[srcMv] ?? '');
    if (mv !== '' || this.index.has(mvColumn(to))) row[this.ensureColumn(mvColumn(to))] = mv;
  }

  /** No rows → empty body, as splunklib replies (docs/protocol.md §1 "Empty bodies"). */
  serialize(rows: string[][] = this.rows): string {
    if (rows.length === 0) return '';
    return serializeTable({ fields: this.fields, rows });
  }
}

/**
 * The reference implementation of transformChunk (row-stream.ts): parse everything, apply the
 * visitor, re-serialise every row. Slower; kept to prove the fast path equivalent.
 */
export function transformTable(body: Buffer | string, visit: RowVisitor): string {
  if (body.length === 0) return '';
  const table = RecordTable.parse(body);
  const kept: string[][] = [];
  let current: string[] = [];
  const row: Row = {
    get: (name) => table.get(current, name),
    set: (name, value) => table.set(current, name, value),
    setMulti: (name, values) => table.setMulti(current, name, values),
    copyField: (from, to) => table.copyField(current, from, to),
    matches: (re) => re.test(current.join('\u0000')),
  };
  for (const r of table.rows) {
    current = r;
    if (visit(row)) kept.push(r);
  }
  return table.serialize(kept);
}
