/**
 * A FIFO of Buffers that hands out exact byte ranges without re-concatenating
 * everything received so far (each byte is copied at most once).
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0; // offset into chunks[0]
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Index (relative to the queue start) of the first `byte` within the first `limit` bytes, or -1. */
  indexOf(byte: number, limit: number): number {
    let seen = 0;
    for (let c = 0; c < this.chunks.length && seen < limit; c++) {
      const chunk = this.chunks[c];
      const start = c === 0 ? this.head : 0;
      const end = Math.min(chunk.length, start + (limit - seen));
      const at = chunk.indexOf(byte, start);
      if (at >= 0 && at < end) return seen + (at - start);
      seen += end - start;
    }
    return -1;
  }

  /** Removes and returns the next n bytes (n <= length). Zero-copy when they sit in one chunk. */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`take(${n}) with only ${this.length} bytes queued`);
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0];
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.advance(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0];
      const avail = chunk.length - this.head;
      const want = Math.min(avail, n - filled);
      chunk.copy(out, filled, this.head, this.head + want);
      filled += want;
      this.advance(want);
    }
    return out;
  }

  private advance(n: number): void {
    this.length -= n;
    this.head += n;
    while (this.chunks.length > 0 && this.head >= this.chunks[0].length) {
      this.head -= this.chunks[0].length;
      this.chunks.shift();
    }
  }
}
