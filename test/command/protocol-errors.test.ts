/** Error paths of the command runner, through the built bundle; every run has a timeout. */
import { spawn } from 'child_process';
import { encodeFrame } from '../../src/scp/frame';
import { BUNDLE, executeFrame, getinfoFrame, runBundle } from '../helpers/scp';

const SECRET = 'SECRET-SESSION-KEY-must-never-be-printed';

function expectError(metadata: Record<string, unknown>, pattern: RegExp) {
  expect(metadata.finished).toBe(true);
  const messages = (metadata.inspector as { messages: [string, string][] }).messages;
  expect(messages).toHaveLength(1);
  expect(messages[0][0]).toBe('ERROR');
  expect(messages[0][1]).toMatch(pattern);
}

describe('t1612score error handling', () => {
  test.each([
    [
      'unknown option',
      ['nosuch=1'],
      /unknown option "nosuch"\. Valid options: mode=<default\|seed>, min_score=<integer>/,
    ],
    ['bad mode value', ['mode=fast'], /invalid value "fast" for mode: must be one of default, seed/],
    ['bad integer', ['min_score=abc'], /invalid value "abc" for min_score: not an integer/],
    ['positional argument', ['docker'], /unexpected argument "docker"/],
    ['option twice', ['mode=seed', 'mode=seed'], /given twice/],
  ])('%s: one getinfo reply with an ERROR, then exit non-zero', async (_name, args, pattern) => {
    // stdin stays open: the command must still exit (splunkd may not close it).
    const r = await runBundle([getinfoFrame(args)], { closeStdin: false, timeoutMs: 10000 });
    expect(r.code).not.toBe(0);
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0].metadata.type).toBe('streaming');
    expectError(r.replies[0].metadata, pattern);
    expect(r.stderr).toMatch(pattern);
    expect(r.stdout.toString('latin1') + r.stderr).not.toContain(SECRET);
  });

  test.each([
    [
      'value',
      (big: string) => [`min_score=${big}`],
      /invalid value "1{40}…" \(10485760 chars\) for min_score: must be between 0 and 1000/,
    ],
    ['option name', (big: string) => [`${big}=1`], /unknown option "1{40}…" \(10485760 chars\)/],
    ['positional argument', (big: string) => [big], /unexpected argument "1{40}…" \(10485760 chars\)/],
  ])('10 MB %s: a short ERROR quoting a 40-character prefix', async (_name, args, pattern) => {
    const big = '1'.repeat(10 * 1024 * 1024); // 10 MB of digits: out of range as an integer
    const r = await runBundle([getinfoFrame(args(big))], { closeStdin: false, timeoutMs: 20000 });
    expect(r.code).not.toBe(0);
    expect(r.replies).toHaveLength(1);
    expectError(r.replies[0].metadata, pattern);
    const text = (r.replies[0].metadata.inspector as { messages: [string, string][] }).messages[0][1];
    expect(text.length).toBeLessThan(600);
    expect(r.stdout.length).toBeLessThan(1000);
    expect(r.stderr.length).toBeLessThan(1000);
  });

  test('a chunk that fails (malformed CSV) gets its ERROR reply with its own rows back, then exit non-zero', async () => {
    const bad = 'a,b\n"unterminated,1\n';
    const r = await runBundle(
      [
        getinfoFrame(['mode=seed']),
        executeFrame('a\n1\n', false),
        executeFrame(bad, false),
        executeFrame('a\n2\n', true),
      ],
      { timeoutMs: 10000 },
    );
    expect(r.code).not.toBe(0);
    expect(r.replies).toHaveLength(3);
    expect(r.replies[1].metadata).toEqual({ finished: false });
    expectError(r.replies[2].metadata, /unterminated quoted value/);
    expect(r.replies[2].body.toString()).toBe(bad);
    expect(r.stderr).toMatch(/ERROR t1612score: .*unterminated/);
    expect(r.stdout.toString('latin1') + r.stderr).not.toContain(SECRET);
  });

  test('EOF between frames is a clean end: exit 0', async () => {
    const r = await runBundle([getinfoFrame([])], { timeoutMs: 10000 });
    expect(r.code).toBe(0);
    expect(r.replies).toHaveLength(1);
    expect(r.stderr).toBe('');
  });

  test('EOF inside a frame: ERROR on stderr, exit non-zero, nothing half-written', async () => {
    const full = executeFrame('a\n1\n', true);
    const r = await runBundle([getinfoFrame([]), full.subarray(0, full.length - 2)], { timeoutMs: 10000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERROR t1612score: input ended inside a chunk/);
    expect(r.replies).toHaveLength(1);
    expect(r.trailing).toBe(0);
  });

  test('a malformed header with stdin left open: ERROR on stderr and exit, no hang', async () => {
    const r = await runBundle([getinfoFrame([]), Buffer.from('chunked 9.9,1,1\n')], {
      closeStdin: false,
      timeoutMs: 10000,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/malformed SCP v2 header/);
  });

  test('execute before getinfo is refused with an ERROR reply', async () => {
    const r = await runBundle([executeFrame('a\n1\n', true)], { timeoutMs: 10000 });
    expect(r.code).not.toBe(0);
    expectError(r.replies[0].metadata, /before getinfo/);
  });

  test('an unknown action is refused with an ERROR reply', async () => {
    const r = await runBundle([getinfoFrame([]), encodeFrame({ action: 'cancel' })], { timeoutMs: 10000 });
    expect(r.code).not.toBe(0);
    expectError(r.replies[1].metadata, /unexpected action "cancel"/);
  });

  test('EPIPE on stdout (splunkd stopped reading) is a quiet exit', async () => {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BUNDLE], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('hang after EPIPE'));
      }, 15000);
      child.stdout.destroy(); // our read end goes away: the command's writes hit EPIPE
      child.stdin.on('error', () => undefined);
      child.on('close', (c) => {
        clearTimeout(timer);
        expect(stderr).toBe('');
        resolve(c);
      });
      const rows = 'CommandLine\n' + 'docker build /tmp/x\n'.repeat(20000);
      child.stdin.write(getinfoFrame(['mode=seed']));
      for (let i = 0; i < 5; i++) child.stdin.write(executeFrame(rows, false));
      child.stdin.end(executeFrame(rows, true));
    });
    expect(code).toBe(0);
  });
});
