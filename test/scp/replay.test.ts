/**
 * Replays real splunkd recordings through the built bundle (bin/t1612score.js):
 * one reply per request, `finished` mirrored, byte-correct headers, every row and field intact.
 */
import { parseTable } from '../../src/scp/csv';
import { encodeFrame } from '../../src/scp/frame';
import { getinfoFrame, readRecording, runBundle, splitRecording, RunResult } from '../helpers/scp';

function replayInput(
  recording: string,
  args: string[],
): { input: Buffer; requests: ReturnType<typeof splitRecording> } {
  const frames = splitRecording(readRecording(recording));
  expect(frames[0].metadata.action).toBe('getinfo');
  const executes = frames.slice(1);
  // The recorded getinfo carries the recorded command's args; ours replace them.
  const input = Buffer.concat([getinfoFrame(args), ...executes.map((f) => encodeFrame(f.metadata, f.body))]);
  return { input, requests: executes };
}

/** Reply headers must announce exactly the bytes that follow. */
function expectByteExactFraming(r: RunResult) {
  let offset = 0;
  for (const reply of r.replies) {
    const nl = r.stdout.indexOf(0x0a, offset);
    const m = /^chunked 1\.0,(\d+),(\d+)\n$/.exec(r.stdout.toString('latin1', offset, nl + 1));
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(Buffer.byteLength(JSON.stringify(reply.metadata)));
    expect(Number(m![2])).toBe(reply.body.length);
    offset = nl + 1 + Number(m![1]) + Number(m![2]);
  }
  expect(offset).toBe(r.stdout.length);
}

function expectRowsIntact(request: Buffer, reply: Buffer) {
  const inT = parseTable(request);
  const outT = parseTable(reply);
  expect(outT.rows).toHaveLength(inT.rows.length);
  for (const f of inT.fields) expect(outT.fields).toContain(f);
  const idx = inT.fields.map((f) => outT.fields.indexOf(f));
  for (let r = 0; r < inT.rows.length; r++) {
    const got = idx.map((i) => outT.rows[r][i]);
    if (got.join('\u0000') !== inT.rows[r].join('\u0000')) expect(got).toEqual(inT.rows[r]);
  }
  return outT;
}

describe('replay of real splunkd recordings through the bundle', () => {
  test('Splunk 8.0.3 multibyte_input: getinfo + 9 execute chunks of Thai text', async () => {
    const { input, requests } = replayInput('multibyte_input.gz', ['mode=seed']);
    expect(requests).toHaveLength(9);
    const r = await runBundle(input);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.trailing).toBe(0);
    expectByteExactFraming(r);
    expect(r.replies).toHaveLength(10);
    expect(r.replies[0].metadata).toEqual({ type: 'streaming' });
    let rows = 0;
    requests.forEach((req, i) => {
      const reply = r.replies[i + 1];
      expect(reply.metadata).toEqual({ finished: req.metadata.finished });
      const out = expectRowsIntact(req.body, reply.body);
      rows += out.rows.length;
      const col = out.fields.indexOf('teststring');
      expect(out.rows.every((row) => row[col] === 'ทt')).toBe(true);
      expect(out.rows.every((row) => row[out.fields.indexOf('is_docker_build')] === '0')).toBe(true);
    });
    expect(rows).toBe(40682); // docs/protocol.md §7
    expect(requests.map((q) => q.metadata.finished)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  test('Splunk 6.3 sum.map: one 16 MB chunk of 50,000 rows x 24 fields + __mv_ columns', async () => {
    const { input, requests } = replayInput('sum.map.input.gz', ['mode=seed']);
    expect(requests).toHaveLength(1);
    expect(requests[0].body.length).toBe(16109782); // docs/protocol.md §4
    const r = await runBundle(input);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expectByteExactFraming(r);
    expect(r.replies).toHaveLength(2);
    expect(r.replies[1].metadata).toEqual({ finished: true });
    const out = expectRowsIntact(requests[0].body, r.replies[1].body);
    expect(out.rows).toHaveLength(50000);
    expect(out.fields.filter((f) => f.startsWith('__mv_'))).toHaveLength(24);
  });
});
