/**
 * The reply's gathering write (RowBody.writeVectorTo through fdSink.writev): the same bytes as the copying
 * write, across batch limits (1,024 pieces, the 1 MB staging of tails) and into a real file descriptor.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fdSink } from '../../src/scp/io';
import { transformChunk } from '../../src/scp/row-stream';
import { StreamedBody } from '../../src/scp/streamed-body';

function body(rows: number, varied: boolean): StreamedBody {
  const lines = ['a,b'];
  for (let i = 0; i < rows; i++) lines.push(`${i},"v ${'x'.repeat(i % 50)}"`);
  const out = transformChunk(Buffer.from(lines.join('\n') + '\n'), (row) => {
    // varied: a different tail on every row (each one staged); else one tail shared by all rows
    row.set('t', varied ? `tail-${row.get('a')}-${'y'.repeat(Number(row.get('a')) % 300)}` : 'same');
    return true;
  });
  if (typeof out === 'string') throw new Error('expected a streamed body');
  return out;
}

function copied(b: StreamedBody): Buffer {
  const parts: Buffer[] = [];
  b.writeTo((x) => parts.push(Buffer.from(x)));
  return Buffer.concat(parts);
}

describe('gathering write of a reply', () => {
  test.each([
    [10, false],
    [5000, false],
    [20000, true],
  ])('%i rows (varied tails: %s) through a file descriptor equal the copying write', (rows, varied) => {
    const b = body(rows, varied);
    expect(typeof b.writeVectorTo).toBe('function');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 't1612-writev-')), 'out');
    const fd = fs.openSync(file, 'w');
    try {
      const sink = fdSink(fd);
      let calls = 0;
      b.writeVectorTo!((pieces) => {
        calls++;
        expect(pieces.length).toBeLessThanOrEqual(1025);
        sink.writev!(pieces);
      });
      expect(calls).toBeGreaterThanOrEqual(Math.ceil(rows / 512)); // two pieces per row, 1,024 at most per call
    } finally {
      fs.closeSync(fd);
    }
    const want = copied(b);
    expect(want.length).toBe(b.byteLength);
    expect(fs.readFileSync(file).equals(want)).toBe(true);
  });
});
