/**
 * The command's fast path over one chunk: rows are visited in order through a reused Row view that
 * decodes fields only when read; rows whose input fields were not changed are written back as their
 * input bytes with the new columns appended, the others are re-serialised. What a row adds is encoded
 * into an arena as soon as the row is done (streamed-body.ts). The output is identical, field for
 * field, to RecordTable's full re-serialisation (test/scp/fast-path.test.ts).
 */
import { CsvChunk } from './csv-chunk';
import { Arena, RowBody, StreamedBody } from './streamed-body';
import { quoteCsv, serializeRow } from './csv';
import { MV_PREFIX, mvColumn, mvPair } from './multivalue';
import { RowMatcher } from './row-match';
import type { AnchoredRegExp } from './wasm/csv-index';

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
  /** The input field's text with every `"` doubled (CSV escaping), when not decoded yet and it has any. */
  doubled?(name: string): string | undefined;
}

/** Return false to drop the row from the reply. */
export type RowVisitor = (row: Row) => boolean;

const UNSET = undefined;

/** Where a field name lives, resolved once per chunk: input column, new column, `__mv_` companion. */
interface Slot {
  col: number;
  j: number;
  mv: boolean;
}

class RowView implements Row {
  /** Values of the current row's input columns, decoded on demand; `stamp` marks this row's. */
  private cache: (string | undefined)[];
  private stamp: Int32Array;
  private rowId = 0;
  /** New columns (not in the input): names, and the current row's values (`newStamp` marks this row's). */
  newNames: string[] = [];
  newValues: (string | undefined)[] = [];
  private newStamp: number[] = [];
  private slots = new Map<string, Slot>();
  /** Input values replaced in the current row (input column → value), when any. */
  edits: Map<number, string> | null = null;
  /** Fields that have a `__mv_` column (input or added), so set() must clear it. */
  private mvFields = new Set<string>();
  private readonly matcher: RowMatcher;

  constructor(
    private readonly chunk: CsvChunk,
    private readonly index: Map<string, number>,
  ) {
    this.cache = new Array<string | undefined>(chunk.fields.length).fill(UNSET);
    this.stamp = new Int32Array(chunk.fields.length).fill(-1);
    for (const f of chunk.fields) if (f.startsWith(MV_PREFIX)) this.mvFields.add(f.slice(MV_PREFIX.length));
    this.matcher = new RowMatcher(chunk.buf);
  }

  private slot(name: string): Slot {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = { col: this.index.get(name) ?? -1, j: -1, mv: this.mvFields.has(name) };
      this.slots.set(name, s);
    }
    return s;
  }

  matches(re: RegExp): boolean {
    const anchors = (re as Partial<AnchoredRegExp>).anchors;
    if (anchors !== undefined && this.chunk.mayContain(anchors) === false) return false;
    return this.matcher.test(re, this.chunk.rowStart, this.chunk.rowEnd);
  }

  beginRow(): void {
    this.rowId++;
    this.edits = null;
  }

  /** Value of new column j in the current row ('' when not set on it). */
  newValue(j: number): string {
    return this.newStamp[j] === this.rowId ? (this.newValues[j] ?? '') : '';
  }

  private input(col: number): string {
    if (this.stamp[col] !== this.rowId) {
      this.cache[col] = this.chunk.value(col);
      this.stamp[col] = this.rowId;
    }
    return this.cache[col] as string;
  }

  doubled(name: string): string | undefined {
    const col = this.slot(name).col;
    if (col < 0 || this.stamp[col] === this.rowId || this.edits?.has(col)) return undefined;
    return this.chunk.doubledValue(col);
  }

  get(name: string): string | undefined {
    const s = this.slot(name);
    if (s.col >= 0) {
      const edited = this.edits?.get(s.col);
      const v = edited !== undefined ? edited : this.input(s.col);
      return v === '' ? undefined : v;
    }
    if (s.j < 0) return undefined;
    const v = this.newValue(s.j);
    return v === '' ? undefined : v;
  }

  private setRaw(name: string, value: string, s = this.slot(name)): void {
    const col = s.col;
    if (col >= 0) {
      if (this.input(col) === value && !this.edits?.has(col)) return;
      (this.edits ??= new Map()).set(col, value);
      return;
    }
    let j = s.j;
    if (j < 0) {
      j = s.j = this.newNames.length;
      this.newNames.push(name);
      this.newValues.push(UNSET);
      this.newStamp.push(0);
    }
    this.newValues[j] = value;
    this.newStamp[j] = this.rowId;
  }

  private setMv(name: string, mv: string): void {
    const s = this.slot(name);
    if (mv === '' && !s.mv) return;
    s.mv = true;
    this.mvFields.add(name);
    this.setRaw(mvColumn(name), mv);
  }

  set(name: string, value: string): void {
    const s = this.slot(name);
    this.setRaw(name, value, s);
    if (s.mv) this.setRaw(mvColumn(name), '');
  }

  setMulti(name: string, values: readonly string[]): void {
    const [plain, mv] = mvPair(values);
    this.setRaw(name, plain);
    this.setMv(name, mv);
  }

  copyField(from: string, to: string): void {
    this.setRaw(to, this.get(from) ?? '');
    this.setMv(to, this.slot(from).mv ? (this.get(mvColumn(from)) ?? '') : '');
  }

  /** All input values of the current row, with edits applied (for re-serialisation). */
  editedInputValues(): string[] {
    const out = new Array<string>(this.chunk.fields.length);
    for (let c = 0; c < out.length; c++) out[c] = this.edits?.get(c) ?? this.input(c);
    return out;
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
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
  // Sized for ~1/8 of the input: growing by copies cost ~10% of a chunk where every row adds 150 bytes.
  const arena = new Arena(body.length >> 3);
  let inStart = new Int32Array(1024);
  let inEnd = new Int32Array(1024);
  let tStart = new Int32Array(1024);
  let tEnd = new Int32Array(1024);
  let tCols = new Int32Array(1024);
  // Most rows append the same values (e.g. `,0,0`): the previous row's tail is reused then.
  const prev: string[] = [];
  let prevN = -1;
  let prevStart = 0;
  let prevEnd = 0;
  let rows = 0;
  while (chunk.next()) {
    view.beginRow();
    if (!visit(view)) continue;
    const r = rows++;
    if (r === inStart.length) {
      inStart = grow(inStart);
      inEnd = grow(inEnd);
      tStart = grow(tStart);
      tEnd = grow(tEnd);
      tCols = grow(tCols);
    }
    // Trailing empty values are not stored: RowBody pads them (the same as for columns added later).
    let n = view.newNames.length;
    while (n > 0 && view.newValue(n - 1) === '') n--;
    tCols[r] = n;
    if (view.edits || chunk.short) {
      let line = serializeRow(view.editedInputValues()).slice(0, -1);
      for (let j = 0; j < n; j++) {
        const v = view.newValue(j);
        line += v === '' ? ',' : ',' + quoteCsv(v);
      }
      inStart[r] = -1;
      inEnd[r] = -1;
      tStart[r] = arena.length;
      tEnd[r] = arena.append(line);
      prevN = -1; // the tail is inside this row's line: not reusable
      continue;
    }
    inStart[r] = chunk.rowStart;
    inEnd[r] = chunk.rowEnd;
    let same = prevN === n;
    for (let j = 0; same && j < n; j++) same = view.newValue(j) === prev[j];
    if (!same) {
      let tail = '';
      for (let j = 0; j < n; j++) {
        const v = view.newValue(j);
        prev[j] = v;
        tail += v === '' ? ',' : ',' + quoteCsv(v);
      }
      prevN = n;
      prevStart = arena.length;
      prevEnd = arena.append(tail);
    }
    tStart[r] = prevStart;
    tEnd[r] = prevEnd;
  }
  if (rows === 0) return '';
  const header = serializeRow([...chunk.fields, ...view.newNames]);
  return new RowBody(body, arena, header, rows, inStart, inEnd, tStart, tEnd, tCols, view.newNames.length);
}
