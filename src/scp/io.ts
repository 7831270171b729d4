/**
 * Synchronous byte I/O for the command. SCP v2 is strictly request → reply, so blocking reads straight
 * into a reused buffer and blocking writes are both the simplest and the fastest way to speak it:
 * no per-read allocations, no stream machinery (measured in `npm run bench`).
 */
import * as fs from 'fs';

export interface ByteSource {
  /** Reads up to `length` bytes into buf at offset; returns 0 at end of input. */
  read(buf: Buffer, offset: number, length: number): number;
}

export interface ByteSink {
  /** Writes all of buf; throws (EPIPE…) when the reader has gone. */
  write(buf: Buffer): void;
  /** Writes all the pieces in order (one gathering system call when it can). */
  writev?(pieces: Buffer[]): void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** A file descriptor (0 for stdin); tolerates non-blocking descriptors by waiting on EAGAIN. */
export function fdSource(fd: number): ByteSource {
  return {
    read(buf, offset, length) {
      for (;;) {
        try {
          return fs.readSync(fd, buf, offset, length, null);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') pause(1);
          else if (code === 'EOF')
            return 0; // Windows: end of a pipe
          else throw e;
        }
      }
    },
  };
}

export function fdSink(fd: number): ByteSink {
  return {
    writev(pieces) {
      let i = 0;
      while (i < pieces.length) {
        let n: number;
        try {
          n = fs.writevSync(fd, i === 0 ? pieces : pieces.slice(i));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
            pause(1);
            continue;
          }
          throw e;
        }
        // a short write: skip what went out, keep the rest of a piece cut in the middle
        while (i < pieces.length && n >= pieces[i].length) n -= pieces[i++].length;
        if (n > 0) {
          pieces[i] = pieces[i].subarray(n);
        }
      }
    },
    write(buf) {
      let off = 0;
      while (off < buf.length) {
        try {
          off += fs.writeSync(fd, buf, off, buf.length - off);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') pause(1);
          else throw e;
        }
      }
    },
  };
}

/** An in-memory source (tests, tools). */
export function bufferSource(data: Buffer): ByteSource {
  let pos = 0;
  return {
    read(buf, offset, length) {
      const n = Math.min(length, data.length - pos);
      data.copy(buf, offset, pos, pos + n);
      pos += n;
      return n;
    },
  };
}
