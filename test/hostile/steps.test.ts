/**
 * Work bounds of the parsers that read attacker text: steps ≤ k × input length + c, with hostile
 * generated inputs (bounded runs here; `npm run fuzz` runs them longer). Counted steps, never timings.
 */
import fc from 'fast-check';
import { measure, PARSERS } from '../../src/tools/fuzz/parsers';
import { scanSudoHead } from '../../src/telemetry/sudo';
import { scanMsg } from '../../src/telemetry/dockerd';
import { Wildcard } from '../../src/detection/model/allowlist';
import { decodeAuditHex } from '../../src/telemetry/util';
import { joinXmlLines } from '../../src/scan/readers';

describe.each(PARSERS.map((p) => [p.name, p] as const))('%s: steps ≤ k × bytes', (_, p) => {
  it('generated hostile inputs', () => {
    fc.assert(
      fc.property(p.input, (s) => measure(p, s) <= p.k * s.length + p.c),
      { numRuns: 40, seed: 1612 },
    );
  });
});

const unwrapPosix = PARSERS.find((p) => p.name === 'unwrapCommandLine (POSIX)')!;
const unwrapWin = PARSERS.find((p) => p.name === 'unwrapCommandLine (Windows)')!;
const tokPosix = PARSERS.find((p) => p.name === 'tokenize (POSIX)')!;

describe('known-bad command lines', () => {
  it.each([
    ['nested-sh-c x40', unwrapPosix, "bash -c '" + 'sh -c x;'.repeat(40) + "'"],
    ['nested-sh-c x5000', unwrapPosix, "bash -c '" + 'sh -c x;'.repeat(5000) + "'"],
    ['joined-sh-c x5000', unwrapPosix, 'sh -c ' + 'sh -c x;'.repeat(5000)],
    [
      'nested-quoted-sh-c',
      unwrapPosix,
      Array.from({ length: 12 }).reduce<string>((s) => `sh -c "${s.replace(/["\\$`]/g, '\\$&')}"`, 'docker build .'),
    ],
    ['cmd-c x5000', unwrapWin, 'cmd /c ' + 'cmd /c x & '.repeat(5000)],
    ['powershell-c x5000', unwrapWin, 'powershell -c ' + 'powershell -c x; '.repeat(5000)],
    ['args-100k', unwrapPosix, 'docker build ' + 'a '.repeat(100000)],
    ['line-1MB', unwrapPosix, 'docker build ' + 'x'.repeat(1 << 20)],
    ['line-1MB-tokenize', tokPosix, '"' + 'x\\"'.repeat(350000)],
  ])('%s', (_, p, line) => {
    expect(measure(p, line)).toBeLessThanOrEqual(p.k * line.length + p.c);
  });
});

describe('caps are reported and what was seen is kept', () => {
  // imported lazily so the module's counters are the ones measured above
  const { unwrapCommandLine } = jest.requireActual<typeof import('../../src/detection/model/unwrap')>(
    '../../src/detection/model/unwrap',
  );
  it('nested-sh-c: every `sh -c x` inside one quoted script is one command, no duplication', () => {
    const r = unwrapCommandLine("bash -c '" + 'sh -c x;'.repeat(20) + "docker build /tmp/a'", false, '/');
    expect(r.execs.map((e) => e.argv.join(' '))).toEqual([...Array<string>(20).fill('x'), 'docker build /tmp/a']);
    expect(r.truncated).toBeUndefined();
    const capped = unwrapCommandLine("bash -c '" + 'sh -c x;'.repeat(40) + "docker build /tmp/a'", false, '/');
    expect(capped.truncated).toBe('commands per line cap 64');
    expect(capped.execs.map((e) => e.argv.join(' '))).toEqual(Array<string>(31).fill('x'));
  });
  it('commands-per-line cap', () => {
    const r = unwrapCommandLine("bash -c '" + 'true;'.repeat(100) + "docker build .'", false, '/');
    expect(r.truncated).toBe('commands per line cap 64');
    expect(r.execs.length).toBe(63);
  });
  it('depth cap', () => {
    const nest = (levels: number) =>
      Array.from({ length: levels }).reduce<string>(
        (s) => `sh -c "${s.replace(/["\\$`]/g, '\\$&')}"`,
        'docker build .',
      );
    expect(unwrapCommandLine(nest(6), false, '/')).toEqual({
      execs: [expect.objectContaining({ argv: ['docker', 'build', '.'] })],
    });
    const r = unwrapCommandLine(nest(7), false, '/');
    expect(r.truncated).toBe('depth cap 6');
    expect(r.execs).toEqual([]);
  });
  it('args-per-command cap', () => {
    const r = unwrapCommandLine('docker build ' + 'a '.repeat(2000), false, '/');
    expect(r.truncated).toBe('args per command cap 1024');
    expect(r.execs[0].argv.length).toBe(1024);
  });
  it('bytes-examined cap', () => {
    const r = unwrapCommandLine('docker build ' + 'x'.repeat(70000), false, '/');
    expect(r.truncated).toBe('bytes examined cap 65536');
    expect(r.execs[0].argv[0]).toBe('docker');
  });
  it('cmd /c and powershell -c repetition is flagged, not multiplied', () => {
    const c = unwrapCommandLine('cmd /c ' + 'cmd /c x & '.repeat(100), true, undefined);
    expect(c.truncated).toBe('commands per line cap 64');
    const p = unwrapCommandLine('powershell -c ' + 'powershell -c x; '.repeat(100), true, undefined);
    expect(p.truncated).toBe('commands per line cap 64');
  });
});

describe('hand scanners answer as the regexes they replace', () => {
  const SUDO = /\bsudo(?:\[(\d+)\])?:\s+(\S+)\s+:\s+(.*)$/;
  it('sudo head', () => {
    const text = fc
      .array(fc.constantFrom('sudo', 'xsudo', '-sudo', '[', '12', ']', ':', ' ', '  ', 'a', '-', '\n', 'C=1'), {
        maxLength: 30,
      })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(text, (s) => {
        const m = SUDO.exec(s);
        const h = scanSudoHead(s);
        return m === null ? h === undefined : h !== undefined && h.pid === m[1] && h.user === m[2] && h.rest === m[3];
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
  const MSG = /\bmsg=(?:"((?:[^"\\]|\\.)*)"|(\S+))/;
  it('dockerd msg', () => {
    const text = fc
      .array(fc.constantFrom('msg=', 'xmsg=', '"', '\\', 'a', ' ', '\\"'), { maxLength: 20 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(text, (s) => {
        const m = MSG.exec(s);
        const h = scanMsg(s);
        if (m === null) return h === undefined;
        return h !== undefined && (m[1] !== undefined ? h.quoted && h.value === m[1] : !h.quoted && h.value === m[2]);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
  it('wildcard', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('*', 'a', 'b', 'ab'), { maxLength: 8 }).map((a) => a.join('')),
        fc.array(fc.constantFrom('a', 'b', 'A'), { maxLength: 12 }).map((a) => a.join('')),
        (g, s) => new Wildcard(g).test(s) === new RegExp('^' + g.split('*').join('[\\s\\S]*') + '$', 'i').test(s),
      ),
      { numRuns: 3000, seed: 7 },
    );
  });
  it('auditd hex with NUL runs', () => {
    expect(decodeAuditHex('61' + '00'.repeat(200000) + '62' + '0000')).toBe('a' + ' '.repeat(200000) + 'b');
  });
  it('XML line joining', () => {
    const s = fc.array(fc.constantFrom('>', '<', ' ', '\n', 'a', '\t'), { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(
      fc.property(s, (x) => joinXmlLines(x) === x.replace(/>\s*\n\s*</g, '><')),
      { numRuns: 3000, seed: 7 },
    );
  });
});
