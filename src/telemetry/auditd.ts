/**
 * Linux audit: RAW and ENRICHED records (`type=… msg=audit(<epoch>:<serial>): k=v …`, ENRICHED adds
 * interpreted fields after a 0x1D byte), `ausearch -i` interpreted text (`msg=audit(MM/DD/YY hh:mm:ss.mss:<serial>) : …`,
 * `----` between events), one record per event or several records of one event (multi-line `_raw`),
 * and records gathered by SPL `stats values(*) by host, msg` (fields, multivalues joined by LF).
 */
import { FieldGetter, NormalisedEvent } from './types';
import { scanKv, unquote } from './kv';
import { AuditRecord, parseAuditRecord } from './auditd-record';
import { auditUser, basename, unixSocketPath } from './util';
import { fieldArgs, fieldValue, interpretedArgs, MAX_EXECVE_ARGS, mv, rawArgs, rawValue } from './auditd-args';

export { MAX_EXECVE_ARGS } from './auditd-args';
export type { AuditRecord } from './auditd-record';
export { parseAuditRecord } from './auditd-record';

/** `<time>:<serial>` → [time, serial]. */
export function splitAuditId(id: string): [string, string] {
  const i = id.lastIndexOf(':');
  return i < 0 ? [id, ''] : [id.slice(0, i), id.slice(i + 1)];
}

const EPOCH = /^\d+(\.\d+)?$/;

/** Epoch seconds of an audit id (RAW epoch, or ausearch's `MM/DD/YY hh:mm:ss.mss`, read as UTC). */
export function auditEpoch(id: string): number | undefined {
  const colon = id.lastIndexOf(':');
  const t = colon < 0 ? id : id.slice(0, colon); // splitAuditId(id)[0]
  if (EPOCH.test(t)) return Number(t);
  const m = /^(\d\d)\/(\d\d)\/(\d\d(?:\d\d)?) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(t);
  if (!m) return undefined;
  const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const ms = Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  return ms / 1000 + (m[7] ? Number('0.' + m[7]) : 0);
}

// ---- value decoding -------------------------------------------------------------------------------

/** A RAW value: quoted → literal, unquoted upper-case hex → decoded, else literal (e.g. `(null)`). */

/** Text after `key=` up to the end of the body (ausearch -i values with spaces: proctitle, cwd). */
function restOf(body: string, key: string): string | undefined {
  const i = body.indexOf(key + '=');
  if (i < 0) return undefined;
  return body.slice(i + key.length + 1).replace(/ $/, '');
}

/** USER_CMD's inner msg: `cwd="/tmp" cmd=<hex> exe="/usr/bin/sudo" terminal=? res=success` (or interpreted). */
function userCmd(rec: AuditRecord): { cmd?: string; cwd?: string; exe?: string } {
  const inner = unquote(rec.kv.msg) ?? '';
  if (rec.interpreted) {
    const c = inner.indexOf('cmd=');
    const e = inner.indexOf(' exe=', c);
    const w = inner.indexOf('cwd=');
    return {
      cmd: c < 0 ? undefined : inner.slice(c + 4, e < 0 ? inner.length : e),
      cwd: w < 0 ? undefined : inner.slice(w + 4, c > w ? c - 1 : inner.length),
      exe: e < 0 ? undefined : /^ exe=(\S+)/.exec(inner.slice(e))?.[1],
    };
  }
  const kv: Record<string, string> = {};
  scanKv(inner, 0, inner.length, kv);
  return { cmd: rawValue(kv.cmd), cwd: rawValue(kv.cwd), exe: rawValue(kv.exe) };
}

function socketFrom(rec: AuditRecord): string | undefined {
  const s = rec.kv.saddr;
  if (s === undefined) return undefined;
  if (s.startsWith('{') || rec.kv.SADDR) {
    const text = s.startsWith('{') ? s : rec.kv.SADDR;
    const m = /saddr_fam=local path=(\S+)/.exec(text);
    if (m) return m[1];
  }
  return unixSocketPath(s);
}

/**
 * The invoker when the login uid is set (`auid`: who logged in, whatever sudo/su changed), else the uid.
 * Names where the record has them (ENRICHED `AUID="alice"`, ausearch `auid=alice`), else `uid:<n>`.
 */
function recordUser(rec: AuditRecord): string | undefined {
  const kv = rec.kv;
  const i = rec.interpreted;
  return (
    auditUser(kv.AUID ?? (i ? kv.auid : undefined), kv.auid) ?? auditUser(kv.UID ?? (i ? kv.uid : undefined), kv.uid)
  );
}

// ---- assembling an event ----------------------------------------------------------------------------

function prefixOf(recs: AuditRecord[]): string {
  const r = recs[0];
  return r.interpreted ? 'ausearch' : r.enriched || recs.some((x) => x.enriched) ? 'auditd-enriched' : 'auditd';
}

/**
 * Derives the CIM fields of one audit event from its records (one or several of the same serial). With
 * `processOnly`, only what the process table keeps: process, process_name, process_id, parent_process_id.
 */
export function auditEventFromRecords(recs: AuditRecord[], processOnly = false): NormalisedEvent {
  let execve: AuditRecord | undefined;
  let proctitle: AuditRecord | undefined;
  let syscall: AuditRecord | undefined;
  let cwdRec: AuditRecord | undefined;
  let usercmd: AuditRecord | undefined;
  let sockaddr: AuditRecord | undefined;
  for (const r of recs) {
    switch (r.type) {
      case 'EXECVE':
        execve ??= r;
        break;
      case 'PROCTITLE':
        proctitle ??= r;
        break;
      case 'SYSCALL':
        syscall ??= r;
        break;
      case 'CWD':
        cwdRec ??= r;
        break;
      case 'USER_CMD':
        usercmd ??= r;
        break;
      case 'SOCKADDR':
        sockaddr ??= r;
        break;
    }
  }
  const out: NormalisedEvent = { t1612_source: '' };
  let primary = '';
  let argv0: string | undefined;
  if (execve) {
    const bad: { index?: string } = {};
    const argc = Number(unquote(execve.kv.argc));
    const args = execve.interpreted ? interpretedArgs(execve.body, argc, bad) : rawArgs(execve.kv, bad);
    if (bad.index !== undefined)
      out.t1612_truncated = `auditd EXECVE argument index cap ${MAX_EXECVE_ARGS}: ${bad.index}`;
    if (args && args.length > 0) {
      out.process = args.join(' ');
      argv0 = args[0];
      primary = 'execve';
    }
  }
  if (!out.process && proctitle) {
    const p = proctitle.interpreted ? restOf(proctitle.body, 'proctitle') : rawValue(proctitle.kv.proctitle);
    if (p) {
      out.process = p;
      primary = 'proctitle';
    }
  }
  if (usercmd) {
    const u = userCmd(usercmd);
    if (!out.process && u.cmd) {
      out.process = u.cmd;
      primary = 'user_cmd';
      out.parent_process_name = 'sudo';
      if (u.exe) out.parent_process_name = basename(u.exe);
    }
    if (!processOnly) {
      if (u.cwd) out.process_current_directory = u.cwd;
      out.user = recordUser(usercmd);
    }
    if (usercmd.kv.pid) out.parent_process_id = usercmd.kv.pid;
  }
  if (cwdRec && !processOnly) {
    const c = cwdRec.interpreted ? restOf(cwdRec.body, 'cwd') : rawValue(cwdRec.kv.cwd);
    if (c) out.process_current_directory = c;
  }
  if (syscall) {
    const kv = syscall.kv;
    const exe = syscall.interpreted ? kv.exe : rawValue(kv.exe);
    const comm = syscall.interpreted ? kv.comm : rawValue(kv.comm);
    if (exe && exe !== '(null)') out.process_path = exe;
    if (comm && comm !== '(null)') out.process_name = comm;
    if (kv.pid) out.process_id = kv.pid;
    if (kv.ppid) out.parent_process_id = kv.ppid;
    if (!processOnly) {
      const user = recordUser(syscall);
      if (user) out.user = user;
    }
    if (!primary) primary = 'syscall';
  }
  if (!out.process_name) out.process_name = basename(out.process_path) ?? basename(argv0);
  if (processOnly) return out;
  if (sockaddr) {
    const path = socketFrom(sockaddr);
    if (path) {
      out.socket_path = path;
      out.event_kind = 'socket_connect';
      if (!primary || primary === 'syscall') primary = 'sockaddr';
    }
  }
  if (!out.event_kind && out.process) out.event_kind = 'process';
  if (!primary && out.process_current_directory) primary = 'cwd';
  const node = recs[0].node;
  if (node) out.dest = node;
  out.t1612_source = primary
    ? `${prefixOf(recs)}:${primary}`
    : `none:auditd ${recs.map((r) => r.type).join('+')} has no process fields`;
  return out;
}

/** Splits a `_raw` holding one or several audit records (lines; `----` separators ignored). */
export function parseAuditRaw(raw: string): AuditRecord[] {
  if (raw.indexOf('\n') < 0) {
    // one line (the stream's usual row): no list grown from empty
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const r = line.length > 0 && line[0] !== '-' ? parseAuditRecord(line) : undefined;
    return r ? [r] : [];
  }
  const recs: AuditRecord[] = [];
  let start = 0;
  while (start <= raw.length) {
    let nl = raw.indexOf('\n', start);
    if (nl < 0) nl = raw.length;
    let line = raw.slice(start, nl);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > 0 && line[0] !== '-') {
      const r = parseAuditRecord(line);
      if (r) recs.push(r);
    }
    start = nl + 1;
  }
  return recs;
}

export function normaliseAuditRaw(raw: string): NormalisedEvent | undefined {
  const recs = parseAuditRaw(raw);
  if (recs.length === 0) return undefined;
  return auditEventFromRecords(recs);
}

// ---- `stats values(*) by host, msg` --------------------------------------------------------------------

/** True when the event looks like audit records gathered into fields (no usable `_raw`). */
export function looksLikeAuditFields(get: FieldGetter): boolean {
  return (
    get('argc') !== undefined ||
    get('proctitle') !== undefined ||
    (get('type') !== undefined && (get('syscall') !== undefined || get('cwd') !== undefined))
  );
}

export function normaliseAuditFields(get: FieldGetter): NormalisedEvent {
  const out: NormalisedEvent = { t1612_source: '' };
  let primary = '';
  const args = fieldArgs(get);
  if (args) {
    out.process = args.join(' ');
    primary = 'execve';
  } else {
    const pt = mv(get, 'proctitle');
    if (pt.length >= 1) {
      out.process = fieldValue(pt[0]);
      primary = 'proctitle';
    }
  }
  const cwd = mv(get, 'cwd');
  if (cwd.length === 1) out.process_current_directory = cwd[0];
  const one = (name: string): string | undefined => {
    const v = mv(get, name);
    return v.length === 1 ? v[0] : undefined;
  };
  const exe = one('exe');
  const comm = one('comm');
  if (exe) out.process_path = exe;
  out.process_name = comm ?? basename(exe) ?? (args ? basename(args[0]) : undefined);
  const pid = one('pid');
  const ppid = one('ppid');
  if (pid) out.process_id = pid;
  if (ppid) out.parent_process_id = ppid;
  const u = auditUser(one('UID'), one('uid'));
  if (u) out.user = u;
  const saddr = one('saddr');
  const sock = saddr ? unixSocketPath(saddr) : undefined;
  if (sock) {
    out.socket_path = sock;
    out.event_kind = 'socket_connect';
    primary ||= 'sockaddr';
  }
  if (!out.event_kind && out.process) out.event_kind = 'process';
  if (!primary && (exe || pid)) primary = 'syscall';
  out.t1612_source = primary ? `auditd-fields:${primary}` : 'none:auditd fields without process records';
  return out;
}
