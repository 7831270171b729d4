/**
 * A reply body assembled lazily: its exact byte length is known before any byte is written (the
 * frame header needs it), then it is streamed out through a small staging buffer reused from chunk
 * to chunk. Unchanged rows go out as their input bytes plus the appended columns; no tens-of-MB
 * output buffer is ever allocated (fresh pages are what large buffers cost most; see npm run bench).
 */
export interface StreamedBody {
  byteLength: number;
  /** Writes the body in order through `write`; each Buffer passed is only valid during the call. */
  writeTo(write: (bytes: Buffer) => void): void;
  /** The same through a gathering write (writev): pieces of the input are handed over, not copied. */
  writeVectorTo?(writev: (pieces: Buffer[]) => void): void;
}

const STAGING_BYTES = 1 << 20;
let staging: Buffer | null = null;
/** Size of the last chunk's arena: the next one starts there (one allocation, no regrowth). */
let arenaHint = 1 << 16;

/**
 * An append-only byte store for the text a chunk adds (appended columns, re-serialised rows). Text
 * is encoded as soon as a row is visited, so no per-row JS string outlives its row (strings sliced
 * from a decoded `_raw` would otherwise keep every `_raw` of the chunk alive until the reply).
 * One per chunk (never shared: a reply stays valid however late it is written).
 */
export class Arena {
  buf: Buffer;
  length = 0;

  /** `expect`: bytes the chunk may add (a guess; untouched pages of a large buffer cost nothing). */
  constructor(expect = 0) {
    this.buf = Buffer.allocUnsafe(Math.max(arenaHint, expect));
  }

  /** Appends `s` as UTF-8; returns the end offset (the start is the previous `length`). */
  append(s: string): number {
    if (this.length + s.length * 3 > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + s.length * 3));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
      arenaHint = Math.min(next.length, 1 << 28);
    }
    this.length += this.buf.write(s, this.length, 'utf8');
    return this.length;
  }
}

const COMMA = 0x2c;
const LF = 0x0a;

/**
 * Rows as pieces: per row, an input byte range (or none for a re-serialised row), an arena range,
 * and how many trailing empty values to add (columns first set on a later row), then LF.
 */
export class RowBody implements StreamedBody {
  byteLength: number;

  constructor(
    private readonly src: Buffer,
    private readonly arena: Arena,
    private readonly header: string,
    private readonly rows: number,
    private readonly inStart: Int32Array,
    private readonly inEnd: Int32Array,
    private readonly tStart: Int32Array,
    private readonly tEnd: Int32Array,
    private readonly tCols: Int32Array,
    private readonly width: number,
  ) {
    let n = Buffer.byteLength(header, 'utf8') + rows;
    for (let r = 0; r < rows; r++) {
      if (inStart[r] >= 0) n += inEnd[r] - inStart[r];
      n += tEnd[r] - tStart[r] + (width - tCols[r]);
    }
    this.byteLength = n;
  }

  writeTo(write: (bytes: Buffer) => void): void {
    const out = (staging ??= Buffer.allocUnsafe(STAGING_BYTES));
    let len = 0;
    const flush = () => {
      if (len > 0) write(out.subarray(0, len));
      len = 0;
    };
    const copy = (from: Buffer, start: number, end: number) => {
      while (start < end) {
        if (len === out.length) flush();
        const n = Math.min(end - start, out.length - len);
        from.copy(out, len, start, start + n);
        len += n;
        start += n;
      }
    };
    const head = Buffer.from(this.header, 'utf8');
    copy(head, 0, head.length);
    const arena = this.arena.buf;
    for (let r = 0; r < this.rows; r++) {
      if (this.inStart[r] >= 0) copy(this.src, this.inStart[r], this.inEnd[r]);
      copy(arena, this.tStart[r], this.tEnd[r]);
      let pad = this.width - this.tCols[r];
      if (len + pad + 1 > out.length) flush();
      while (pad-- > 0) out[len++] = COMMA;
      out[len++] = LF;
    }
    flush();
  }

  writeVectorTo(writev: (pieces: Buffer[]) => void): void {
    const out = (staging ??= Buffer.allocUnsafe(STAGING_BYTES));
    let len = 0;
    let pieces: Buffer[] = [Buffer.from(this.header, 'utf8')];
    const arena = this.arena.buf;
    let tail: Buffer | null = null;
    let ts = -1;
    let te = -1;
    let tc = -1;
    for (let r = 0; r < this.rows; r++) {
      if (this.inStart[r] >= 0) pieces.push(this.src.subarray(this.inStart[r], this.inEnd[r]));
      if (tail === null || this.tStart[r] !== ts || this.tEnd[r] !== te || this.tCols[r] !== tc) {
        ts = this.tStart[r];
        te = this.tEnd[r];
        tc = this.tCols[r];
        const n = te - ts + (this.width - tc) + 1;
        if (len + n > out.length) {
          writev(pieces);
          pieces = [];
          len = 0;
        }
        const at = len;
        arena.copy(out, len, ts, te);
        len += te - ts;
        for (let pad = this.width - tc; pad > 0; pad--) out[len++] = COMMA;
        out[len++] = LF;
        tail = out.subarray(at, len);
      }
      pieces.push(tail);
      if (pieces.length >= 1024) {
        writev(pieces);
        pieces = [];
        len = 0;
        tail = null;
      }
    }
    writev(pieces);
  }
}
