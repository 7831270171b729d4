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
}

const STAGING_BYTES = 1 << 20;
let staging: Buffer | null = null;

/** Pieces: either a byte range of `src` or a string. Kept as parallel arrays (no per-piece objects). */
export class BodyBuilder implements StreamedBody {
  byteLength = 0;
  private strings: (string | null)[] = [];
  private starts: number[] = [];
  private ends: number[] = [];

  constructor(private readonly src: Buffer) {}

  /** Appends a string; pass its UTF-8 byte length when already known. */
  addString(s: string, byteLength = Buffer.byteLength(s, 'utf8')): void {
    this.strings.push(s);
    this.starts.push(0);
    this.ends.push(0);
    this.byteLength += byteLength;
  }

  addRange(start: number, end: number): void {
    const n = this.strings.length - 1;
    // Adjacent ranges merge (consecutive unchanged rows with nothing appended stay one copy).
    if (n >= 0 && this.strings[n] === null && this.ends[n] === start) {
      this.ends[n] = end;
    } else {
      this.strings.push(null);
      this.starts.push(start);
      this.ends.push(end);
    }
    this.byteLength += end - start;
  }

  writeTo(write: (bytes: Buffer) => void): void {
    const buf = (staging ??= Buffer.allocUnsafe(STAGING_BYTES));
    let len = 0;
    const flush = () => {
      if (len > 0) write(buf.subarray(0, len));
      len = 0;
    };
    for (let i = 0; i < this.strings.length; i++) {
      const s = this.strings[i];
      if (s === null) {
        let start = this.starts[i];
        const end = this.ends[i];
        while (start < end) {
          if (len === buf.length) flush();
          const n = Math.min(end - start, buf.length - len);
          this.src.copy(buf, len, start, start + n);
          len += n;
          start += n;
        }
      } else if (s.length * 3 <= buf.length - len) {
        len += buf.write(s, len, 'utf8');
      } else {
        flush();
        const bytes = Buffer.from(s, 'utf8');
        if (bytes.length <= buf.length) {
          bytes.copy(buf, 0);
          len = bytes.length;
        } else {
          write(bytes);
        }
      }
    }
    flush();
  }
}
