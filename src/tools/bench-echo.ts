/**
 * Benchmark floor: the least a Node process can do with an SCP v2 stream. Reads each frame into one
 * buffer with readSync, writes a reply header and the body back with writeSync, nothing else (no
 * engine code, no JSON). Every ratio `npm run bench` prints is against this process.
 */
import * as fs from 'fs';

const HEADER = /^chunked\s+1\.0\s*,\s*(\d+)\s*,\s*(\d+)\s*\n$/;
let buf = Buffer.allocUnsafe(1 << 20);
let start = 0;
let end = 0;

/** Reads more bytes, making room first (compact, or grow with headroom for a larger next frame); false at end of input. */
function fill(want: number): boolean {
  if (want > buf.length - start || end === buf.length) {
    const next = want > buf.length ? Buffer.allocUnsafe(Math.ceil(want * 1.25)) : buf;
    buf.copy(next, 0, start, end);
    end -= start;
    start = 0;
    buf = next;
  }
  const n = fs.readSync(0, buf, end, buf.length - end, null);
  end += n;
  return n > 0;
}

function write(bytes: Buffer, from: number, to: number): void {
  while (from < to) from += fs.writeSync(1, bytes, from, to - from);
}

for (;;) {
  let lf = buf.indexOf(10, start);
  while (lf < 0 || lf >= end) {
    if (!fill(256)) process.exit(0);
    lf = buf.indexOf(10, start);
  }
  const m = HEADER.exec(buf.toString('latin1', start, lf + 1));
  if (!m) throw new Error('bench-echo: bad frame header');
  const head = lf + 1 - start;
  const total = head + Number(m[1]) + Number(m[2]);
  while (end - start < total) if (!fill(total)) throw new Error('bench-echo: truncated frame');
  const body = start + head + Number(m[1]);
  const g = Number(m[2]) === 0 ? buf.indexOf('"getinfo"', start + head) : -1;
  const isGetinfo = g >= 0 && g < body;
  const reply = Buffer.from(isGetinfo ? 'chunked 1.0,22,0\n{"type":"streaming"}  ' : `chunked 1.0,2,${m[2]}\n{}`);
  write(reply, 0, reply.length);
  write(buf, body, start + total);
  start += total;
}
