import fc from 'fast-check';
import { encodeFrame, FrameParser, FrameReader, ProtocolError } from '../../src/scp/frame';
import { bufferSource, ByteSource } from '../../src/scp/io';

function parseAll(parts: Buffer[]) {
  const parser = new FrameParser();
  const frames = [];
  for (const p of parts) {
    parser.push(p);
    for (let f = parser.next(); f; f = parser.next()) frames.push(f);
  }
  return { frames, midFrame: parser.midFrame };
}

describe('SCP v2 framing', () => {
  test('lengths are UTF-8 bytes, not characters', () => {
    const body = 'teststring\nทt\n';
    const frame = encodeFrame({ finished: true }, body);
    const header = frame.toString('latin1', 0, frame.indexOf(0x0a) + 1);
    expect(header).toBe(`chunked 1.0,17,${Buffer.byteLength(body)}\n`);
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    // splunklib's own unit test vector (docs/protocol.md §1): 28 characters, 32 bytes.
    const sdk = encodeFrame({ finished: true }, 'test,__mv_test\r\ndata,\r\n测试,\r\n');
    expect(sdk.toString('latin1', 0, 18)).toBe('chunked 1.0,17,32\n');
  });

  test('header whitespace is tolerated as splunklib tolerates it', () => {
    const meta = '{"action":"execute","finished":false}';
    const raw = Buffer.from(`chunked  1.0 , ${meta.length} ,  3 \n${meta}a,b`);
    const { frames } = parseAll([raw]);
    expect(frames).toHaveLength(1);
    expect(frames[0].metadata).toEqual({ action: 'execute', finished: false });
    expect(frames[0].body.toString()).toBe('a,b');
  });

  test('6.3-style metadata with spaces parses as JSON', () => {
    const meta = '{ "action": "execute", "finished": false }';
    const { frames } = parseAll([Buffer.from(`chunked 1.0,${meta.length},0\n${meta}`)]);
    expect(frames[0].metadata.finished).toBe(false);
    expect(frames[0].body.length).toBe(0);
  });

  test.each([
    ['garbage header', 'hello world\n'],
    ['wrong version', 'chunked 2.0,2,0\n{}'],
    ['negative length', 'chunked 1.0,-2,0\n{}'],
    ['blank line between chunks', '\nchunked 1.0,2,0\n{}'],
  ])('malformed header is a ProtocolError: %s', (_name, text) => {
    expect(() => parseAll([Buffer.from(text)])).toThrow(ProtocolError);
  });

  test('metadata that is not a JSON object is rejected', () => {
    expect(() => parseAll([Buffer.from('chunked 1.0,2,0\n[]')])).toThrow(/not a JSON object/);
    expect(() => parseAll([Buffer.from('chunked 1.0,2,0\n{x')])).toThrow(/not valid JSON/);
  });

  test('a header with no newline in 256 bytes is rejected instead of buffering forever', () => {
    expect(() => parseAll([Buffer.alloc(300, 0x61)])).toThrow(/no SCP v2 header/);
  });

  test('FrameReader: a clean end between frames is null, an end inside a frame is a ProtocolError', () => {
    const whole = encodeFrame({ action: 'execute', finished: true }, 'a\n1\n');
    const ok = new FrameReader(bufferSource(whole));
    expect(ok.next()?.body.toString()).toBe('a\n1\n');
    expect(ok.next()).toBeNull();
    const cut = new FrameReader(bufferSource(whole.subarray(0, whole.length - 1)));
    expect(() => cut.next()).toThrow(/ended inside a chunk/);
    expect(new FrameReader(bufferSource(Buffer.alloc(0))).next()).toBeNull();
  });

  test('property: FrameReader parses any frames from reads of any sizes, growing past its first buffer', () => {
    const body = fc.string({ unit: 'grapheme', maxLength: 300 });
    fc.assert(
      fc.property(
        fc.array(body, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 8 }),
        (bodies, sizes) => {
          const bytes = Buffer.concat(
            bodies.map((b, i) => encodeFrame({ action: 'execute', finished: i === bodies.length - 1 }, b)),
          );
          let pos = 0;
          let k = 0;
          const trickle: ByteSource = {
            read(buf, offset, length) {
              const n = Math.min(length, sizes[k++ % sizes.length], bytes.length - pos);
              bytes.copy(buf, offset, pos, pos + n);
              pos += n;
              return n;
            },
          };
          const reader = new FrameReader(trickle, 16); // tiny buffer: forces growth and compaction
          const got: string[] = [];
          for (let f = reader.next(); f; f = reader.next()) got.push(f.body.toString('utf8'));
          expect(got).toEqual(bodies);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('property: any frames, split at any byte boundaries, parse back identically', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean());
    const metadata = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { maxKeys: 4 });
    const body = fc.string({ unit: 'grapheme', maxLength: 200 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(metadata, body), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (frames, cuts) => {
          const bytes = Buffer.concat(frames.map(([m, b]) => encodeFrame(m, b)));
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const parts: Buffer[] = [];
          let last = 0;
          for (const p of points) {
            parts.push(bytes.subarray(last, p));
            last = p;
          }
          parts.push(bytes.subarray(last));
          const { frames: got, midFrame } = parseAll(parts);
          expect(midFrame).toBe(false);
          expect(got.map((f) => [f.metadata, f.body.toString('utf8')])).toEqual(
            frames.map(([m, b]) => [JSON.parse(JSON.stringify(m)) as unknown, b]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
