/**
 * The lab capture (test/fixtures/samples/lab) as splunkd would stream it to the command: Splunk events
 * (`_time`, `host`, `sourcetype`, `source`, `_raw`) newest first, cut into execute chunks. Each event keeps
 * the lab step it belongs to (from the `# ---- lab step` markers, the audit serial for `ausearch -i`, and
 * the dockerd line ranges of the lab README) so tests can check grouping per build.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseTable, serializeRow } from '../../../src/scp/csv';
import { executeFrame, getinfoFrame, runBundle } from '../../helpers/scp';

export const LAB = path.join(__dirname, '..', '..', 'fixtures', 'samples', 'lab');

export type Shape = 'raw-records' | 'raw-merged' | 'enriched-records' | 'ausearch-records';
export const SHAPES: readonly Shape[] = ['raw-records', 'raw-merged', 'enriched-records', 'ausearch-records'];

export interface LabEvent {
  step: string;
  fields: Record<string, string>;
}

const HOST = 'vm';
/** dockerd_debug.log line ranges per step (1-based, inclusive), from the lab README. */
const DOCKERD_STEPS: [string, number, number][] = [
  ['t1', 1, 47],
  ['t2', 48, 54],
  ['t3', 55, 61],
  ['t4', 62, 66],
  ['t5', 67, 71],
  ['t6', 72, 78],
  ['t7', 79, 79],
  ['t8', 80, 80],
  ['t9', 81, 81],
  ['t14', 82, 118],
];

function read(name: string): string[] {
  return fs
    .readFileSync(path.join(LAB, name), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

const AUDIT_ID = /msg=audit\(([^)]*)\)/;

function auditEpoch(id: string): number {
  const t = id.slice(0, id.lastIndexOf(':'));
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\.(\d+)$/.exec(t);
  if (!m) throw new Error(`audit time ${t}`);
  return Date.UTC(2000 + +m[3], +m[1] - 1, +m[2], +m[4], +m[5], +m[6]) / 1000 + Number('0.' + m[7]);
}

function auditEvent(step: string, raw: string, sourcetype: string): LabEvent {
  const id = AUDIT_ID.exec(raw)![1];
  return {
    step,
    fields: {
      _time: auditEpoch(id).toFixed(3),
      host: HOST,
      source: '/var/log/audit/audit.log',
      sourcetype,
      _raw: raw,
    },
  };
}

/** Audit records of a RAW/ENRICHED log with their step (`t1_sudo_build_nocache` → `t1`). */
function stepRecords(name: string): { step: string; line: string }[] {
  let step = '';
  const out: { step: string; line: string }[] = [];
  for (const line of read(name)) {
    const head = /^# ---- lab step (t\d+)_/.exec(line);
    if (head) step = head[1];
    else if (!line.startsWith('#')) out.push({ step, line });
  }
  return out;
}

function serialOf(line: string): string {
  const id = AUDIT_ID.exec(line)![1];
  return id.slice(id.lastIndexOf(':') + 1);
}

function auditEvents(shape: Shape): LabEvent[] {
  if (shape === 'ausearch-records') {
    const stepBySerial = new Map(stepRecords('auditd_raw.log').map((r) => [serialOf(r.line), r.step]));
    return read('auditd_ausearch_i.log')
      .filter((l) => !l.startsWith('----'))
      .map((l) => auditEvent(stepBySerial.get(serialOf(l)) ?? '', l, 'linux:audit'));
  }
  const recs = stepRecords(shape === 'enriched-records' ? 'auditd_enriched.log' : 'auditd_raw.log');
  if (shape !== 'raw-merged') return recs.map((r) => auditEvent(r.step, r.line, 'linux:audit'));
  const bySerial = new Map<string, { step: string; lines: string[] }>();
  for (const r of recs) {
    const k = serialOf(r.line);
    const e = bySerial.get(k) ?? { step: r.step, lines: [] };
    e.lines.push(r.line);
    bySerial.set(k, e);
  }
  return [...bySerial.values()].map((e) => auditEvent(e.step, e.lines.join('\n'), 'linux:audit'));
}

function dockerdEvents(): LabEvent[] {
  return read('dockerd_debug.log').map((raw, i) => {
    const step = DOCKERD_STEPS.find(([, a, b]) => i + 1 >= a && i + 1 <= b)![0];
    const t = Date.parse(/^time="([^"]+)"/.exec(raw)![1]) / 1000;
    return {
      step,
      fields: { _time: t.toFixed(3), host: HOST, source: 'journald:dockerd', sourcetype: 'docker', _raw: raw },
    };
  });
}

function sudoEvents(): LabEvent[] {
  return read('auth_sudo.log').map((raw) => {
    const t = Date.parse(raw.split(' ')[0]) / 1000;
    return {
      step: 't1',
      fields: { _time: t.toFixed(3), host: HOST, source: '/var/log/auth.log', sourcetype: 'linux_secure', _raw: raw },
    };
  });
}

/** All events of one shape, newest first (records of one audit event in reverse file order, as indexed). */
export function labStream(shape: Shape): LabEvent[] {
  const all = [...auditEvents(shape), ...dockerdEvents(), ...sudoEvents()].reverse();
  return all
    .map((e, i) => ({ e, i }))
    .sort((a, b) => Number(b.e.fields._time) - Number(a.e.fields._time) || a.i - b.i)
    .map((x) => x.e);
}

export type Row = Record<string, string>;

/** Streams the events through bin/t1612score.js in chunks of `chunk` events; returns the reply rows in order. */
export async function replay(events: LabEvent[], chunk: number, args: string[] = []): Promise<Row[]> {
  const fields = ['_time', 'host', 'source', 'sourcetype', '_raw'];
  const frames = [getinfoFrame(args)];
  for (let i = 0; i < events.length; i += chunk) {
    const part = events.slice(i, i + chunk);
    const body = serializeRow(fields) + part.map((e) => serializeRow(fields.map((f) => e.fields[f] ?? ''))).join('');
    frames.push(executeFrame(body, i + chunk >= events.length));
  }
  const res = await runBundle(frames, { timeoutMs: 60000 });
  if (res.code !== 0) throw new Error(`command exit ${res.code}: ${res.stderr}`);
  const rows: Row[] = [];
  for (const reply of res.replies.slice(1)) {
    if (reply.body.length === 0) continue;
    const t = parseTable(reply.body);
    for (const r of t.rows) rows.push(Object.fromEntries(t.fields.map((f, j) => [f, r[j]])));
  }
  return rows;
}

export interface Group {
  key: string;
  steps: Set<string>;
  rows: Row[];
}

/** Alerting rows (alert_detail set) grouped by host + t1612_incident (a row without one is its own group). */
export function alertingGroups(events: LabEvent[], rows: Row[]): Group[] {
  const groups = new Map<string, Group>();
  rows.forEach((r, i) => {
    if (!r.alert_detail) return;
    const key = r.t1612_incident ? `${r.host}|${r.t1612_incident}` : `row ${i}`;
    const g = groups.get(key) ?? { key, steps: new Set<string>(), rows: [] };
    g.steps.add(events[i].step);
    g.rows.push(r);
    groups.set(key, g);
  });
  return [...groups.values()];
}
