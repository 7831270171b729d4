/**
 * Builds NormalisedEvent objects from the lab capture (test/fixtures/samples/lab, byte-for-byte copies
 * of the project's lab capture — see test/fixtures/samples/PROVENANCE.md). A deliberately small, independent
 * reading of the RAW auditd records (SYSCALL/EXECVE/CWD/SOCKADDR/PROCTITLE), so these tests do not
 * depend on the telemetry normaliser: `process` is argv joined with spaces (as auditd's PROCTITLE and
 * the normaliser render it — quoting is lost), cwd from CWD, name/path from SYSCALL comm/exe, and the
 * parent from the latest earlier execve of the parent pid in the same step.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ModelEvent } from '../../../src/detection/model';

export const LAB_DIR = path.join(__dirname, '..', '..', 'fixtures', 'samples', 'lab');

export interface LabExec extends ModelEvent {
  step: string;
  argv: string[];
}

export interface LabStep {
  id: string;
  command: string;
  execs: LabExec[];
  sockets: ModelEvent[];
}

function decodeArg(v: string): string {
  if (v.startsWith('"')) return v.slice(1, -1);
  return Buffer.from(v, 'hex').toString('utf8');
}

function sockPath(hex: string): string | undefined {
  if (!hex.startsWith('0100')) return undefined;
  const b = Buffer.from(hex.slice(4), 'hex');
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
}

export function readLabSteps(): LabStep[] {
  const text = fs.readFileSync(path.join(LAB_DIR, 'auditd_raw.log'), 'utf8');
  const steps: LabStep[] = [];
  let step: LabStep | undefined;
  interface Rec {
    syscall?: Record<string, string>;
    argv?: string[];
    cwd?: string;
    sock?: string;
    proctitle?: string;
  }
  let recs = new Map<string, Rec>();
  const flush = (): void => {
    if (!step) return;
    const byPid = new Map<string, LabExec>();
    for (const r of recs.values()) {
      const sc = r.syscall;
      if (!sc) continue;
      if (sc.syscall === '59' && r.argv) {
        const parent = byPid.get(sc.ppid);
        const ev: LabExec = {
          t1612_source: 'lab:auditd',
          event_kind: 'process',
          step: step.id,
          argv: r.argv,
          process: r.argv.join(' '),
          process_name: sc.comm,
          process_path: sc.exe,
          process_current_directory: r.cwd,
          process_id: sc.pid,
          parent_process_id: sc.ppid,
          parent_process: parent?.process,
          parent_process_name: parent?.process_name,
          user: sc.uid === '0' ? 'root' : sc.uid,
          dest: 'vm',
        };
        step.execs.push(ev);
        byPid.set(sc.pid, ev);
      } else if (sc.syscall === '42' && r.sock) {
        step.sockets.push({
          t1612_source: 'lab:auditd',
          event_kind: 'socket_connect',
          socket_path: r.sock,
          process: r.proctitle,
          process_name: sc.comm,
          process_path: sc.exe,
          process_id: sc.pid,
          parent_process_id: sc.ppid,
          process_current_directory: r.cwd,
          dest: 'vm',
        });
      }
    }
    recs = new Map();
  };
  for (const line of text.split('\n')) {
    const head = /^# ---- lab step (\S+) : (.*) ----$/.exec(line);
    if (head) {
      flush();
      step = { id: head[1], command: head[2], execs: [], sockets: [] };
      steps.push(step);
      continue;
    }
    const m = /^type=(\w+) msg=audit\(([\d.]+:\d+)\): (.*)$/.exec(line);
    if (!m || !step) continue;
    const [, type, serial, body] = m;
    const rec = recs.get(serial) ?? {};
    recs.set(serial, rec);
    if (type === 'SYSCALL') {
      const kv: Record<string, string> = {};
      for (const p of body.matchAll(/(\w+)=("[^"]*"|\S+)/g)) kv[p[1]] ??= p[2].replace(/^"|"$/g, '');
      rec.syscall = kv;
    } else if (type === 'EXECVE') {
      rec.argv = [...body.matchAll(/\ba\d+=("[^"]*"|[0-9A-F]+)/g)].map((p) => decodeArg(p[1]));
    } else if (type === 'CWD') {
      rec.cwd = /cwd="([^"]*)"/.exec(body)?.[1];
    } else if (type === 'SOCKADDR') {
      const h = /saddr=([0-9A-F]+)/.exec(body)?.[1];
      if (h) rec.sock = sockPath(h);
    } else if (type === 'PROCTITLE') {
      const h = /proctitle=([0-9A-F]+)/.exec(body)?.[1];
      if (h) rec.proctitle = Buffer.from(h, 'hex').toString('utf8').replace(/\0/g, ' ');
    }
  }
  flush();
  return steps;
}

/** dockerd debug lines → docker_api events (`Calling <M> <path>?<query>` and `form data: {…}`). */
export function readDockerdEvents(): ModelEvent[] {
  const text = fs.readFileSync(path.join(LAB_DIR, 'dockerd_debug.log'), 'utf8');
  const out: ModelEvent[] = [];
  for (const line of text.split('\n')) {
    const m = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line);
    if (!m) continue;
    const msg = JSON.parse('"' + m[1] + '"') as string;
    const c = /^Calling (\w+) (\S+)$/.exec(msg);
    if (c) {
      const q = c[2].indexOf('?');
      out.push({
        t1612_source: 'lab:dockerd',
        event_kind: 'docker_api',
        process_name: 'dockerd',
        docker_api_method: c[1],
        docker_api_path: q < 0 ? c[2] : c[2].slice(0, q),
        docker_api_query: q < 0 ? undefined : c[2].slice(q + 1),
      });
    } else if (msg.startsWith('form data: ')) {
      out.push({
        t1612_source: 'lab:dockerd',
        event_kind: 'docker_api',
        process_name: 'dockerd',
        docker_api_form: msg.slice(11),
      });
    }
  }
  return out;
}

/** The sudo line of step t1 (auth_sudo.log) as the sudo parser would render it. */
export function readSudoEvents(): ModelEvent[] {
  const text = fs.readFileSync(path.join(LAB_DIR, 'auth_sudo.log'), 'utf8');
  const out: ModelEvent[] = [];
  for (const line of text.split('\n')) {
    const m = /^\S+ (\S+) sudo:\s+(\S+) : (.*)COMMAND=(.*)$/.exec(line);
    if (!m) continue;
    const pwd = /PWD=([^;]+?) ;/.exec(m[3])?.[1];
    out.push({
      t1612_source: 'lab:sudo',
      event_kind: 'process',
      process: m[4],
      process_path: m[4].split(' ')[0],
      process_name: path.basename(m[4].split(' ')[0]),
      process_current_directory: pwd,
      parent_process_name: 'sudo',
      user: m[2],
      dest: m[1],
    });
  }
  return out;
}

/** The docker CLI process of a step (comm=docker, argv0 docker). */
export function dockerExec(step: LabStep): LabExec {
  const e = step.execs.find((x) => x.process_name === 'docker' && x.argv[0] === 'docker');
  if (!e) throw new Error(`no docker exec in ${step.id}`);
  return e;
}
