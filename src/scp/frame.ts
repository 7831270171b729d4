/**
 * SCP v2 framing: `chunked 1.0,<metadata bytes>,<body bytes>\n<metadata JSON><body>`.
 * Lengths count UTF-8 bytes (docs/protocol.md §1).
 */
import { ByteQueue } from './byte-queue';
import { ByteSource } from './io';

export interface Frame {
  metadata: Record<string, unknown>;
  body: Buffer;
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

// The header regex splunklib's reader uses (search_command.py `_header`), with the dot escaped.
const HEADER = /^chunked\s+1\.0\s*,\s*(\d+)\s*,\s*(\d+)\s*\n$/;
const LF = 0x0a;
const MAX_HEADER_BYTES = 256;

interface Pending {
  metadataLength: number;
  bodyLength: number;
}

function parseHeader(line: string): Pending {
  const m = HEADER.exec(line);
  if (!m) throw new ProtocolError(`malformed SCP v2 header: ${JSON.stringify(line.slice(0, 80))}`);
  return { metadataLength: Number(m[1]), bodyLength: Number(m[2]) };
}

function parseMetadata(bytes: Buffer): Record<string, unknown> {
  let metadata: unknown;
  try {
    metadata = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ProtocolError(`metadata is not valid JSON: ${(e as Error).message}`);
  }
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ProtocolError('metadata is not a JSON object');
  }
  return metadata as Record<string, unknown>;
}

/**
 * Reads frames synchronously from a ByteSource into one buffer that grows to the largest frame and
 * is then reused: a frame's body is valid only until the next call to next().
 */
export class FrameReader {
  private buf: Buffer;
  private start = 0;
  private end = 0;

  constructor(
    private readonly source: ByteSource,
    initialBytes = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** The next frame, or null at a clean end of input (between frames). */
  next(): Frame | null {
    let lf = this.findHeaderEnd();
    while (lf < 0) {
      if (this.end - this.start >= MAX_HEADER_BYTES)
        throw new ProtocolError(`no SCP v2 header in the first ${MAX_HEADER_BYTES} bytes`);
      if (!this.fill(this.start + MAX_HEADER_BYTES)) {
        if (this.end === this.start) return null;
        throw new ProtocolError('input ended inside a chunk (truncated SCP v2 frame)');
      }
      lf = this.findHeaderEnd();
    }
    const { metadataLength, bodyLength } = parseHeader(this.buf.toString('latin1', this.start, lf + 1));
    const frameStart = lf + 1 - this.start;
    const total = frameStart + metadataLength + bodyLength;
    if (this.start + total > this.buf.length) this.makeRoom(total);
    while (this.end - this.start < total) {
      if (!this.fill(this.start + total))
        throw new ProtocolError('input ended inside a chunk (truncated SCP v2 frame)');
    }
    const metaAt = this.start + frameStart;
    const metadata = parseMetadata(this.buf.subarray(metaAt, metaAt + metadataLength));
    const body = this.buf.subarray(metaAt + metadataLength, metaAt + metadataLength + bodyLength);
    this.start += total;
    return { metadata, body };
  }

  private findHeaderEnd(): number {
    const limit = Math.min(this.end, this.start + MAX_HEADER_BYTES);
    const at = this.buf.indexOf(LF, this.start);
    return at >= 0 && at < limit ? at : -1;
  }

  /** Reads more input (at least up to `want` when room allows); false at end of input. */
  private fill(want: number): boolean {
    if (want > this.buf.length) this.makeRoom(want - this.start);
    if (this.end === this.buf.length) this.compact();
    const n = this.source.read(this.buf, this.end, this.buf.length - this.end);
    this.end += n;
    return n > 0;
  }

  /** Moves the unread bytes to the front; grows the buffer when `bytes` would not fit. */
  private makeRoom(bytes: number): void {
    if (bytes > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.ceil(bytes * 1.25));
      this.buf.copy(next, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
      this.buf = next;
    } else {
      this.compact();
    }
  }

  private compact(): void {
    if (this.start === 0) return;
    this.buf.copy(this.buf, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
  }
}

/** Parses frames pushed in pieces (async consumers: tools, tests). push() bytes, then next() until null. */
export class FrameParser {
  private queue = new ByteQueue();
  private pending: Pending | null = null;

  push(chunk: Buffer): void {
    this.queue.push(chunk);
  }

  /** True when bytes of an unfinished frame are buffered (EOF now would cut a frame). */
  get midFrame(): boolean {
    return this.pending !== null || this.queue.length > 0;
  }

  next(): Frame | null {
    if (!this.pending) {
      const lf = this.queue.indexOf(LF, MAX_HEADER_BYTES);
      if (lf < 0) {
        if (this.queue.length >= MAX_HEADER_BYTES) {
          throw new ProtocolError(`no SCP v2 header in the first ${MAX_HEADER_BYTES} bytes`);
        }
        return null;
      }
      this.pending = parseHeader(this.queue.take(lf + 1).toString('latin1'));
    }
    const { metadataLength, bodyLength } = this.pending;
    if (this.queue.length < metadataLength + bodyLength) return null;
    const metadata = parseMetadata(this.queue.take(metadataLength));
    const body = this.queue.take(bodyLength);
    this.pending = null;
    return { metadata, body };
  }
}

/** Header line + metadata of a frame whose body has `bodyLength` bytes. Compact JSON, byte lengths. */
export function encodeFrameHead(metadata: object, bodyLength: number): Buffer {
  const meta = JSON.stringify(metadata);
  return Buffer.from(`chunked 1.0,${Buffer.byteLength(meta)},${bodyLength}\n${meta}`, 'utf8');
}

/** Encodes one whole frame (a copy; for small frames and tests). */
export function encodeFrame(metadata: object, body: Buffer | string = ''): Buffer {
  const bodyBuf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head = encodeFrameHead(metadata, bodyBuf.length);
  return Buffer.concat([head, bodyBuf], head.length + bodyBuf.length);
}
