/**
 * The command's fast path over one chunk: rows are visited in order through a reused Row view that
 * decodes fields only when read; rows whose input fields were not changed are written back as their
 * input bytes with the new columns appended, the others are re-serialised. The output is identical,
 * field for field, to RecordTable's full re-serialisation (test/scp/fast-path.test.ts).
 */
import { CsvChunk } from './csv-chunk';
import { BodyBuilder, StreamedBody } from './streamed-body';
import { quoteCsv, serializeRow } from './csv';
import { MV_PREFIX, mvColumn, mvPair } from './multivalue';

/** One record as the command sees it. Valid only during the visit callback. */
export interface Row {
  /** Plain value (multivalues joined by LF); undefined when absent or empty. */
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  setMulti(name: string, values: readonly string[]): void;
  /** Copies field `from` (plain and multivalue columns) into `to`. */
  copyField(from: string, to: string): void;
  /**
   * Tests `re` against the whole input row as text, without decoding fields one by one: a cheap
   * prefilter. Field boundaries and CSV quoting show up in the text, so `re` must only look for
   * ASCII tokens without commas or quotes. UTF-8 text is seen byte by byte (latin1).
   */
  matches(re: RegExp): boolean;
}

/** Return false to drop the row from the reply. */
export type RowVisitor = (row: Row) => boolean;

const UNSET = undefined;

class RowView implements Row {
  /** Values of the current row's input columns, decoded on demand; `stamp` marks this row's. */
  private cache: (string | undefined)[];
  private stamp: Int32Array;
  private rowId = 0;
  /** Per new column, its value for each kept output row. */
  newColumns: (string | undefined)[][] = [];
  newNames: string[] = [];
  private newIndex = new Map<string, number>();
  /** Input values replaced in the current row (input column → value), when any. */
  edits: Map<number, string> | null = null;
  outRow = 0;
  /** Fields that have a `__mv_` column (input or added), so set() must clear it. */
  private mvFields = new Set<string>();

  constructor(
    private readonly chunk: CsvChunk,
    private readonly index: Map<string, number>,
  ) {
    this.cache = new Array<string | undefined>(chunk.fields.length).fill(UNSET);
    this.stamp = new Int32Array(chunk.fields.length).fill(-1);
    for (const f of chunk.fields) if (f.startsWith(MV_PREFIX)) this.mvFields.add(f.slice(MV_PREFIX.length));
  }

  matches(re: RegExp): boolean {
    return re.test(this.chunk.buf.toString('latin1', this.chunk.rowStart, this.chunk.rowEnd));
  }

  beginRow(): void {
    this.rowId++;
    this.edits = null;
  }

  private input(col: number): string {
    if (this.stamp[col] !== this.rowId) {
      this.cache[col] = this.chunk.value(col);
      this.stamp[col] = this.rowId;
    }
    return this.cache[col] as string;
  }

  get(name: string): string | undefined {
    const col = this.index.get(name);
    if (col !== undefined) {
      const edited = this.edits?.get(col);
      const v = edited !== undefined ? edited : this.input(col);
      return v === '' ? undefined : v;
    }
    const j = this.newIndex.get(name);
    if (j === undefined) return undefined;
    const v = this.newColumns[j][this.outRow];
    return v === undefined || v === '' ? undefined : v;
  }

  private setRaw(name: string, value: string): void {
    const col = this.index.get(name);
    if (col !== undefined) {
      if (this.input(col) === value && !this.edits?.has(col)) return;
      (this.edits ??= new Map()).set(col, value);
      return;
    }
    let j = this.newIndex.get(name);
    if (j === undefined) {
      j = this.newNames.length;
      this.newNames.push(name);
      this.newIndex.set(name, j);
      this.newColumns.push([]);
    }
    this.newColumns[j][this.outRow] = value;
  }

  private setMv(name: string, mv: string): void {
    if (mv === '' && !this.mvFields.has(name)) return;
    this.mvFields.add(name);
    this.setRaw(mvColumn(name), mv);
  }

  set(name: string, value: string): void {
    this.setRaw(name, value);
    if (this.mvFields.has(name)) this.setRaw(mvColumn(name), '');
  }

  setMulti(name: string, values: readonly string[]): void {
    const [plain, mv] = mvPair(values);
    this.setRaw(name, plain);
    this.setMv(name, mv);
  }

  copyField(from: string, to: string): void {
    this.setRaw(to, this.get(from) ?? '');
    this.setMv(to, this.mvFields.has(from) ? (this.get(mvColumn(from)) ?? '') : '');
  }

  /** All input values of the current row, with edits applied (for re-serialisation). */
  editedInputValues(): string[] {
    const out = new Array<string>(this.chunk.fields.length);
    for (let c = 0; c < out.length; c++) out[c] = this.edits?.get(c) ?? this.input(c);
    return out;
  }
}

/** Applies `visit` to every row of `body`; returns the reply body, to be written before `body` changes. */
export function transformChunk(body: Buffer, visit: RowVisitor): StreamedBody | string {
  if (body.length === 0) return '';
  const chunk = new CsvChunk(body);
  const index = new Map<string, number>();
  chunk.fields.forEach((f, i) => {
    if (!index.has(f)) index.set(f, i);
  });
  const view = new RowView(chunk, index);
  let starts = new Int32Array(1024);
  let ends = new Int32Array(1024);
  const rewritten = new Map<number, string[]>();
  while (chunk.next()) {
    view.beginRow();
    if (!visit(view)) {
      // Dropped: forget anything set on it (its slot is reused by the next kept row).
      for (const col of view.newColumns) col[view.outRow] = undefined;
      continue;
    }
    const r = view.outRow++;
    if (r === starts.length) {
      const s2 = new Int32Array(r * 2);
      s2.set(starts);
      starts = s2;
      const e2 = new Int32Array(r * 2);
      e2.set(ends);
      ends = e2;
    }
    starts[r] = chunk.rowStart;
    ends[r] = chunk.rowEnd;
    if (view.edits || chunk.short) rewritten.set(r, view.editedInputValues());
  }
  const rows = view.outRow;
  if (rows === 0) return '';

  const width = chunk.fields.length;
  const k = view.newNames.length;
  const out = new BodyBuilder(body);
  out.addString(serializeRow([...chunk.fields, ...view.newNames]));
  const extra = new Array<string>(k);
  const cols = view.newColumns;
  // Most rows get the same appended values (e.g. `,0,0`): reuse the previous row's tail then.
  let tail = '';
  let tailBytes = 0;
  let prev = -1;
  for (let r = 0; r < rows; r++) {
    const full = rewritten.get(r);
    if (full) {
      for (let j = 0; j < k; j++) extra[j] = cols[j][r] ?? '';
      out.addString(serializeRow(full.concat(extra), width + k));
      continue;
    }
    out.addRange(starts[r], ends[r]);
    let same = prev >= 0;
    for (let j = 0; same && j < k; j++) same = cols[j][r] === cols[j][prev];
    if (!same) {
      tail = '';
      for (let j = 0; j < k; j++) tail += ',' + quoteCsv(cols[j][r] ?? '');
      tail += '\n';
      tailBytes = Buffer.byteLength(tail, 'utf8');
    }
    out.addString(tail, tailBytes);
    prev = r;
  }
  return out;
}
