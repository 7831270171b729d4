/**
 * Builds one reply body into a buffer that is reused from chunk to chunk (fresh pages are costly:
 * a reply is tens of MB). Rows the command did not change go out as their input bytes with the new
 * columns appended; rows it changed are re-serialised. The header is the input's fields followed by
 * the new ones the command declared.
 */
import { quoteCsv, serializeRow } from './csv';

export class ChunkWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initialBytes = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Starts a new body; `expectedBytes` sizes the buffer once instead of growing it repeatedly. */
  reset(expectedBytes: number): void {
    this.len = 0;
    if (this.buf.length < expectedBytes) this.buf = Buffer.allocUnsafe(expectedBytes);
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(need, Math.ceil(this.buf.length * 1.5)));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  writeString(s: string): void {
    const max = s.length * 3;
    this.ensure(max);
    this.len += this.buf.write(s, this.len, 'utf8');
  }

  writeBytes(src: Buffer, start: number, end: number): void {
    this.ensure(end - start);
    this.len += src.copy(this.buf, this.len, start, end);
  }

  /** Input row bytes as they came, then `,value` for each new column, then LF. */
  writeRowAppending(src: Buffer, start: number, end: number, extra: readonly string[]): void {
    this.writeBytes(src, start, end);
    let tail = '';
    for (let i = 0; i < extra.length; i++) tail += ',' + quoteCsv(extra[i]);
    this.writeString(tail + '\n');
  }

  writeRow(values: readonly (string | undefined)[], width: number): void {
    this.writeString(serializeRow(values, width));
  }

  /** The body so far; valid until the next reset(). */
  result(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}
