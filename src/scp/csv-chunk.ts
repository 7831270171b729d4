/**
 * A zero-copy reader over one CSV body: finds row and field boundaries in the bytes and decodes a
 * field to a string only when asked. Same grammar as csv.ts (RFC 4180, LF or CRLF), which stays the
 * reference implementation; test/scp/fast-path.test.ts proves the two agree.
 */
import { CsvError } from './csv';
import { indexRows, LiteralSets, RowIndex, rowLiterals } from './wasm/csv-index';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export class CsvChunk {
  readonly fields: string[];
  /** Byte range of the current row, without its line end. */
  rowStart = 0;
  rowEnd = 0;
  /** Number of rows read so far (1-based index of the current row). */
  rowNumber = 0;
  /** The current row has fewer values than the header (its bytes cannot be reused as they are). */
  short = false;
  private pos = 0;
  private count = 0;
  private starts!: Int32Array;
  private ends!: Int32Array;
  private quoted!: Uint8Array;
  private readonly width: number;
  /** Row ends and field counts found in one pass (wasm/csv-index.ts); null: every row is scanned here. */
  private index: RowIndex | null = null;
  /** With an index: the current row's first comma in index.commaAt, and its number of fields. */
  private firstComma = 0;
  private fieldCount = 0;
  /** With an index: the current row's literal flags (bit 31: first set, bit 30: second). */
  private literal = 0;

  constructor(readonly buf: Buffer) {
    let cap = 256;
    for (;;) {
      this.starts = new Int32Array(cap);
      this.ends = new Int32Array(cap);
      this.quoted = new Uint8Array(cap);
      this.pos = buf.length > 0 ? this.scanRow(hasBom(buf) ? 3 : 0) : 0;
      if (this.count <= cap) break;
      cap = this.count; // header wider than guessed: rescan with room for every field
    }
    const header: string[] = [];
    for (let i = 0; i < this.count; i++) header.push(this.value(i));
    this.fields = header;
    this.width = header.length;
    if (this.starts.length !== this.width) {
      this.starts = new Int32Array(this.width);
      this.ends = new Int32Array(this.width);
      this.quoted = new Uint8Array(this.width);
    }
    this.rowNumber = 0;
    this.index = cachedIndex(buf, this.pos);
  }

  /** Advances to the next row; false at the end of the body. */
  next(): boolean {
    if (this.pos >= this.buf.length) return false;
    if (this.index !== null) return this.nextIndexed(this.index);
    this.rowNumber++;
    this.rowStart = this.pos;
    this.pos = this.scanRow(this.pos);
    if (this.count > this.width) {
      throw new CsvError(`row ${this.rowNumber} has ${this.count} values but the header has ${this.width} fields`);
    }
    this.short = this.count < this.width;
    for (let col = this.count; col < this.width; col++) {
      this.starts[col] = 0;
      this.ends[col] = 0;
      this.quoted[col] = 0;
    }
    return true;
  }

  private nextIndexed(index: RowIndex): boolean {
    const i = this.rowNumber++;
    if (i >= index.count) return false;
    this.rowStart = this.pos;
    this.rowEnd = index.ends[i];
    this.pos = this.rowEnd + 1;
    const c = index.commas[i];
    this.literal = c & 0xc0000000;
    const before = i === 0 ? 0 : index.commas[i - 1] & 0x3fffffff;
    const count = (c & 0x3fffffff) - before + 1;
    this.firstComma = before;
    this.fieldCount = count;
    if (count > this.width) {
      throw new CsvError(`row ${this.rowNumber} has ${count} values but the header has ${this.width} fields`);
    }
    this.short = count < this.width;
    return true;
  }

  /** Whether rows come from the SIMD row index (wasm/csv-index.ts), so that mayContain can answer. */
  get indexed(): boolean {
    return this.index !== null;
  }

  /**
   * False when the current row contains none of `set` (as searched by the row index), true when it may;
   * undefined when the chunk was not indexed for that set.
   */
  mayContain(set: readonly string[]): boolean | undefined {
    if (this.index === null) return undefined;
    const g = this.index.literals.indexOf(set);
    return g < 0 ? undefined : (this.literal & (g === 0 ? 0x80000000 : 0x40000000)) !== 0;
  }

  /** Content range of column `col` of the current row (inside the quotes) and its quoting, as scanRow records. */
  private bounds(col: number): void {
    const index = this.index;
    if (index === null) {
      this.bStart = this.starts[col];
      this.bEnd = this.ends[col];
      this.bQuoted = this.quoted[col];
      return;
    }
    if (col >= this.fieldCount) {
      this.bStart = this.bEnd = this.bQuoted = 0;
      return;
    }
    let start = col === 0 ? this.rowStart : index.commaAt[this.firstComma + col - 1] + 1;
    let end = col === this.fieldCount - 1 ? this.rowEnd : index.commaAt[this.firstComma + col];
    let quoted = 0;
    if (end > start && this.buf[start] === QUOTE) {
      start++;
      end--; // the index checked that the closing quote is there
      quoted = this.buf.indexOf(QUOTE, start) < end ? 2 : 1;
    }
    this.bStart = start;
    this.bEnd = end;
    this.bQuoted = quoted;
  }
  private bStart = 0;
  private bEnd = 0;
  private bQuoted = 0;

  /** Decoded value of column `col` in the current row ('' when empty). */
  value(col: number): string {
    this.bounds(col);
    return decode(this.buf, this.bStart, this.bEnd, this.bQuoted);
  }

  /** Column `col`'s text with its `""` escapes left in, when it has any (else undefined: use value()). */
  doubledValue(col: number): string | undefined {
    this.bounds(col);
    return this.bQuoted === 2 ? this.buf.toString('utf8', this.bStart, this.bEnd) : undefined;
  }

  /** True when column `col` of the current row is empty. */
  isEmpty(col: number): boolean {
    this.bounds(col);
    return this.bEnd === this.bStart;
  }

  /** Records one field; fields past the arrays' capacity are only counted. */
  private field(start: number, end: number, quoted: number): void {
    const i = this.count++;
    if (i < this.starts.length) {
      this.starts[i] = start;
      this.ends[i] = end;
      this.quoted[i] = quoted;
    }
  }

  /**
   * Scans one row from `p`, recording each field's content range (inside the quotes when quoted)
   * and the count. Returns the offset after the row's line end; sets rowEnd.
   */
  private scanRow(p: number): number {
    const buf = this.buf;
    const n = buf.length;
    this.count = 0;
    for (;;) {
      if (p < n && buf[p] === QUOTE) {
        const start = p + 1;
        let q = start;
        let escaped = 0;
        for (;;) {
          q = buf.indexOf(QUOTE, q);
          if (q < 0) throw new CsvError(`unterminated quoted value in row ${this.rowNumber}`);
          if (buf[q + 1] === QUOTE) {
            escaped = 1;
            q += 2;
            continue;
          }
          break;
        }
        this.field(start, q, escaped ? 2 : 1);
        p = q + 1;
      } else {
        const start = p;
        while (p < n) {
          const c = buf[p];
          if (c === COMMA || c === LF || c === CR) break;
          p++;
        }
        this.field(start, p, 0);
      }
      if (p >= n) {
        this.rowEnd = p;
        return p;
      }
      const c = buf[p];
      if (c === COMMA) {
        p++;
        if (p >= n) {
          this.field(p, p, 0);
          this.rowEnd = p;
          return p;
        }
        continue;
      }
      this.rowEnd = p;
      if (c === CR && buf[p + 1] === LF) return p + 2;
      if (c === LF || c === CR) return p + 1;
      throw new CsvError(`unexpected character after a quoted value in row ${this.rowNumber}`);
    }
  }
}

/**
 * The command reads one chunk twice (the audit pre-pass, then the transform: src/pipeline/stream.ts): the
 * second CsvChunk over the same body reuses the first one's index. A frame body is never changed after it
 * is read (frame.ts hands out a fresh view per frame), so the Buffer object identifies its content.
 */
let last: { buf: Buffer; start: number; literals: LiteralSets; index: RowIndex | null } | null = null;
function cachedIndex(buf: Buffer, start: number): RowIndex | null {
  if (last !== null && last.buf === buf && last.start === start && last.literals === rowLiterals()) return last.index;
  const index = indexRows(buf, start);
  last = { buf, start, literals: rowLiterals(), index };
  return index;
}

/** A UTF-8 byte order mark before the header (a CSV saved by some editors): not part of the first field name. */
function hasBom(buf: Buffer): boolean {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
}

/** quoted: 0 plain, 1 quoted without escapes, 2 quoted with "" escapes. */
function decode(buf: Buffer, start: number, end: number, quoted: number): string {
  if (end === start) return '';
  if (quoted !== 2) return buf.toString('utf8', start, end);
  // `""` → `"` byte by byte into a scratch buffer, then one decode: a flat string, ~2x cheaper than
  // String.replace, whose result is also slower to search (measured on 1.9 KB Sysmon XML values).
  if (scratch.length < end - start) scratch = Buffer.allocUnsafe(Math.max(end - start, scratch.length * 2));
  const out = scratch;
  let j = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    out[j++] = c;
    if (c === QUOTE) i++;
  }
  return out.toString('utf8', 0, j);
}
let scratch = Buffer.allocUnsafe(1 << 16);
