/**
 * parseAuditRecord reads the header without a regex and a record's pairs on first use (the stream's audit
 * pre-pass parses every record): same answers as the regex and eager parse it replaced, kept here as the
 * reference, on the sample logs and on headers mutated around every character the grammar looks at.
 */
import { scanKv } from '../../src/telemetry/kv';
import { AuditRecord, auditEventFromRecords, parseAuditRaw, parseAuditRecord } from '../../src/telemetry/auditd';
import { sample } from './samples';

const HEADER = /^(?:node=(\S+) )?type=([A-Z_0-9]+) msg=audit\(([^)]*)\)\s*:\s?/;
const USED_TYPES = new Set(['EXECVE', 'PROCTITLE', 'SYSCALL', 'CWD', 'USER_CMD', 'SOCKADDR']);
const SYSCALL_KEYS = ['syscall', 'success', 'pid', 'ppid', 'auid', 'uid', 'comm', 'exe'];

function refPick(line: string, from: number, end: number, key: string, out: Record<string, string>): void {
  const i = line.indexOf(' ' + key + '=', from);
  if (i < 0 || i >= end) return;
  const vs = i + key.length + 2;
  let ve: number;
  if (line[vs] === '"') {
    const q = line.indexOf('"', vs + 1);
    ve = q < 0 || q >= end ? end : q + 1;
  } else {
    const sp = line.indexOf(' ', vs);
    ve = sp < 0 || sp > end ? end : sp;
  }
  out[key] = line.slice(vs, ve);
}

/** The parser as it was (regex header, pairs read at once). */
function reference(line: string) {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const id = m[3];
  const interpreted = id.indexOf('/') >= 0 || id.indexOf(' ') >= 0;
  const bodyStart = m[0].length;
  const gs = line.indexOf('\x1d', bodyStart);
  const end = gs < 0 ? line.length : gs;
  const type = m[2];
  const kv: Record<string, string> = {};
  if (type === 'SYSCALL' && !interpreted) {
    for (const k of SYSCALL_KEYS) refPick(line, bodyStart - 1, end, k, kv);
    if (gs >= 0) {
      refPick(line, gs, line.length, 'UID', kv);
      refPick(line, gs, line.length, 'AUID', kv);
    }
  } else if (USED_TYPES.has(type)) {
    scanKv(line, bodyStart, end, kv);
    if (gs >= 0) scanKv(line, gs + 1, line.length, kv);
  }
  return { type, node: m[1], id, interpreted, enriched: gs >= 0, kv, body: line.slice(bodyStart, end) };
}

function plain(r: AuditRecord | undefined) {
  if (r === undefined) return undefined;
  const { type, node, id, interpreted, enriched, kv, body } = r;
  return { type, node, id, interpreted, enriched, kv, body };
}

const LOGS = [
  'lab/auditd_raw.log',
  'lab/auditd_enriched.log',
  'lab/auditd_ausearch_i.log',
  'auditd-real/go-libaudit_audit-rhel7.log',
  'auditd-real/otrf_sh_binary_padding_dd_2020-11-10081941.log',
];
const sampleLines = LOGS.flatMap((f) => sample(f).split('\n')).filter((l) => l.includes('msg=audit('));

/** Deterministic pseudo-random numbers (a test must give the same lines every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Characters the header grammar treats specially, JS `\s` beyond ASCII included. */
const PIECES = [
  ' ',
  '  ',
  '\t',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\u3000',
  ')',
  '(',
  ':',
  ' :',
  ': ',
  '=',
  'a',
  'Z',
  '_',
  '9',
  '/',
  '-',
  'node=',
  'type=',
  '\x1d',
  '"',
];

function mutate(line: string, r: () => number): string {
  let s = line;
  const edits = 1 + Math.floor(r() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * Math.min(s.length, 70));
    if (r() < 0.3) s = s.slice(0, at) + s.slice(at + 1);
    else s = s.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + s.slice(at + (r() < 0.5 ? 1 : 0));
  }
  return s;
}

describe('parseAuditRecord against the regex header and eager pairs', () => {
  test('every sample record line: same type, node, id, body, pairs', () => {
    expect(sampleLines.length).toBeGreaterThan(100);
    for (const line of sampleLines) expect([line, plain(parseAuditRecord(line))]).toEqual([line, reference(line)]);
  });

  test('hand-made headers: node names, whitespace around the colon, no body', () => {
    const lines = [
      'node=web-1 type=SYSCALL msg=audit(1700000000.123:42): syscall=59 pid=7 comm="x y" exe=/bin/x',
      'node= type=EXECVE msg=audit(1.0:1): argc=1 a0="x"',
      'node=a\ttype=EXECVE msg=audit(1.0:1): argc=1 a0="x"',
      'node=a\u00a0b type=EXECVE msg=audit(1.0:1): argc=1 a0="x"',
      'node=a b type=EXECVE msg=audit(1.0:1): argc=1',
      'type=EXECVE msg=audit(1.0:1)\u2028:\u00a0argc=1 a0="x"',
      'type=EXECVE msg=audit(1.0:1) \t : \targc=1',
      'type=EXECVE msg=audit(1.0:1):',
      'type=EXECVE msg=audit(1.0:1',
      'type=execve msg=audit(1.0:1): argc=1',
      'type= msg=audit(1.0:1): argc=1',
      'type=EXECVE  msg=audit(1.0:1): argc=1',
      'type=USER_CMD msg=audit(11/27/25 10:00:00.123:5) : pid=1 cmd=ls',
      'type=SYSCALL msg=audit(1.0:1): syscall=59\x1d UID="root" AUID="alice"',
      ' type=EXECVE msg=audit(1.0:1): argc=1',
    ];
    const parsed = lines.map((l) => plain(parseAuditRecord(l)));
    expect(parsed).toEqual(lines.map(reference));
    expect(parsed.filter((p) => p !== undefined).length).toBeGreaterThan(5);
    expect(parsed.filter((p) => p === undefined).length).toBeGreaterThan(5);
  });

  test('20,000 mutated sample headers', () => {
    const r = rng(1612);
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const line = mutate(sampleLines[Math.floor(r() * sampleLines.length)], r);
      const ref = reference(line);
      const got = plain(parseAuditRecord(line));
      if (JSON.stringify(got) !== JSON.stringify(ref)) expect([line, got]).toEqual([line, ref]);
      if (ref) accepted++;
      else rejected++;
    }
    expect(accepted).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(2000);
  });
});

/** Pieces of SYSCALL bodies: keys (whole, cut, repeated, inside quotes), quotes, spaces. */
const BODY_PIECES = [
  ' pid=1',
  ' ppid=2',
  ' exe="/x y"',
  ' comm=',
  ' uid=0',
  ' auid=',
  ' syscall=59',
  ' success=no',
  ' s',
  ' e',
  'pid=',
  ' ',
  '"',
  '""',
  '\x1d',
  ' UID="u"',
  ' AUID=',
  'x',
];

test('SYSCALL pairs: 10,000 bodies mutated anywhere (keys inside values, cut keys, quotes)', () => {
  const r = rng(2024);
  const syscalls = sampleLines.filter((l) => /type=SYSCALL msg=audit\(\d/.test(l));
  expect(syscalls.length).toBeGreaterThan(20);
  let differentFromSample = 0;
  for (let i = 0; i < 10_000; i++) {
    const base = syscalls[Math.floor(r() * syscalls.length)];
    let line = base;
    const body = line.indexOf('): ') + 3;
    for (let e = 1 + Math.floor(r() * 4); e > 0; e--) {
      const at = body + Math.floor(r() * (line.length - body + 1));
      const piece = BODY_PIECES[Math.floor(r() * BODY_PIECES.length)];
      line =
        r() < 0.25
          ? line.slice(0, at) + line.slice(at + 1 + Math.floor(r() * 8))
          : line.slice(0, at) + piece + line.slice(at);
    }
    const ref = reference(line);
    const got = plain(parseAuditRecord(line));
    if (JSON.stringify(got) !== JSON.stringify(ref)) expect([line, got]).toEqual([line, ref]);
    if (JSON.stringify(ref?.kv) !== JSON.stringify(reference(base)?.kv)) differentFromSample++;
  }
  expect(differentFromSample).toBeGreaterThan(2500);
});

describe('auditEventFromRecords processOnly', () => {
  test('gives the process table the same four fields as the whole derivation, on every sample event', () => {
    const byEvent = new Map<string, string[]>();
    for (const line of sampleLines) {
      const rec = parseAuditRecord(line);
      if (!rec) continue;
      const k = (rec.node ?? '') + '|' + rec.id;
      byEvent.set(k, [...(byEvent.get(k) ?? []), line]);
    }
    let withPid = 0;
    for (const [k, lines] of byEvent) {
      const recs = parseAuditRaw(lines.join('\n'));
      const all = auditEventFromRecords(recs);
      const only = auditEventFromRecords(parseAuditRaw(lines.join('\n')), true);
      const four = (e: typeof all) => [e.process, e.process_name, e.process_id, e.parent_process_id];
      expect([k, four(only)]).toEqual([k, four(all)]);
      if (all.process_id !== undefined) withPid++;
    }
    expect(withPid).toBeGreaterThan(20);
  });
});
