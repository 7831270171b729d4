/**
 * sudo's syslog line (linux_secure / syslog): `sudo: <user> : [TTY=<tty> ; ]PWD=<dir> ; USER=<runas> ;
 * [ENV=… ; ]COMMAND=<command line>`, after an RFC 3164 (`Nov 27 23:23:21 host `) or RFC 3339 header.
 */
import { NormalisedEvent } from './types';
import { basename, firstToken } from './util';

const SUDO = /\bsudo(?:\[(\d+)\])?:\s+(\S+)\s+:\s+(.*)$/;

export function normaliseSudo(raw: string): NormalisedEvent | undefined {
  const m = SUDO.exec(raw);
  if (!m) return undefined;
  const rest = m[3];
  const c = rest.indexOf('COMMAND=');
  if (c < 0) return undefined;
  const out: NormalisedEvent = { t1612_source: 'sudo', event_kind: 'process', user: m[2] };
  out.process = rest.slice(c + 8).replace(/\s+$/, '');
  const fields = rest.slice(0, c).split(' ; ');
  for (const f of fields) {
    const eq = f.indexOf('=');
    if (eq < 0) continue;
    const k = f.slice(0, eq).trim();
    if (k === 'PWD') out.process_current_directory = f.slice(eq + 1).trim();
  }
  const exe = firstToken(out.process);
  if (exe && exe.startsWith('/')) out.process_path = exe;
  out.process_name = basename(exe);
  out.parent_process_name = 'sudo';
  if (m[1]) out.parent_process_id = m[1];
  const host = syslogHost(raw);
  if (host) out.dest = host;
  return out;
}

const RFC3164 = /^(?:<\d+>)?[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d (\S+) /;
const RFC3339 = /^(?:<\d+>)?(?:1 )?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d) (\S+) /;

/** The host of a syslog header (RFC 3164 or RFC 3339), else undefined. */
export function syslogHost(raw: string): string | undefined {
  return (RFC3339.exec(raw) ?? RFC3164.exec(raw))?.[1];
}
