/**
 * SCP v2 framing: `chunked 1.0,<metadata bytes>,<body bytes>\n<metadata JSON><body>`.
 * Lengths count UTF-8 bytes (docs/protocol.md §1).
 */
import { ByteQueue } from './byte-queue';

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

/** Parses frames out of a byte stream. push() bytes, then call next() until it returns null. */
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
      const line = this.queue.take(lf + 1).toString('latin1');
      const m = HEADER.exec(line);
      if (!m) throw new ProtocolError(`malformed SCP v2 header: ${JSON.stringify(line.slice(0, 80))}`);
      this.pending = { metadataLength: Number(m[1]), bodyLength: Number(m[2]) };
    }
    const { metadataLength, bodyLength } = this.pending;
    if (this.queue.length < metadataLength + bodyLength) return null;
    const metaBytes = this.queue.take(metadataLength);
    const body = this.queue.take(bodyLength);
    this.pending = null;
    let metadata: unknown;
    try {
      metadata = JSON.parse(metaBytes.toString('utf8'));
    } catch (e) {
      throw new ProtocolError(`metadata is not valid JSON: ${(e as Error).message}`);
    }
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new ProtocolError('metadata is not a JSON object');
    }
    return { metadata: metadata as Record<string, unknown>, body };
  }
}

/** Reads frames from a byte stream; throws ProtocolError if it ends inside a frame. */
export async function* readFrames(input: AsyncIterable<Buffer | string>): AsyncGenerator<Frame> {
  const parser = new FrameParser();
  for await (const chunk of input) {
    parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    for (let frame = parser.next(); frame; frame = parser.next()) yield frame;
  }
  if (parser.midFrame) throw new ProtocolError('input ended inside a chunk (truncated SCP v2 frame)');
}

/** Encodes one frame. Compact JSON, byte lengths. */
export function encodeFrame(metadata: object, body: Buffer | string = ''): Buffer {
  const meta = Buffer.from(JSON.stringify(metadata), 'utf8');
  const bodyBuf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const header = Buffer.from(`chunked 1.0,${meta.length},${bodyBuf.length}\n`, 'latin1');
  return Buffer.concat([header, meta, bodyBuf], header.length + meta.length + bodyBuf.length);
}
