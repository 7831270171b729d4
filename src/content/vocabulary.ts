/**
 * The search vocabulary of the shipped base searches, derived from the detection model's own lists
 * (src/detection/model/prefilter.ts: WORDS, PORTS, DOCKERD) so the index-time prefilter can never drift
 * from what `| t1612score` recognises. Why each kind of term is needed: docs/content.md "Prefilter terms".
 */
import { DOCKERD, PORTS, WORDS } from '../detection/model/prefilter';
import { SHELLS } from '../detection/model/unwrap';

/** Upper-case hex, as auditd writes PROCTITLE, hex EXECVE arguments and SOCKADDR saddr. */
export function hexOf(s: string): string {
  return Buffer.from(s, 'latin1').toString('hex').toUpperCase();
}

/** Where a tool's argv0 usually lives: auditd PROCTITLE/EXECVE start with argv0 as typed. */
export const EXEC_DIRS: readonly string[] = ['', '/usr/bin/', '/usr/local/bin/', '/bin/', '/usr/sbin/', '/snap/bin/'];

/** Shells whose `-c` argument auditd hex-encodes (it holds spaces): PROCTITLE `<shell>\0-c\0<line>`. */
export const SHELL_C: readonly string[] = ['sh', 'bash', 'dash', 'zsh'];

/** Wrappers whose argv0 starts a PROCTITLE that names the tool only in a later (hex) argument. */
export const WRAPPERS: readonly string[] = ['sudo', 'su', 'doas', 'env', 'nohup', 'timeout', 'setsid'];

/** Wrappers that take `-c <command line>` like a shell. */
export const SU: readonly string[] = ['su', 'runuser'];

/** Docker API Unix sockets: an auditd SOCKADDR is `saddr=0100<path hex>00…` (AF_UNIX = 1, little-endian). */
export const API_SOCKETS: readonly string[] = ['/var/run/docker.sock', '/run/docker.sock'];

/** A word shorter than this is matched exactly (a `img*` prefix would match every `image`). */
const MIN_PREFIX_WORD = 5;

export interface Term {
  term: string;
  why: string;
}

function wordTerm(w: string): string {
  return w.length >= MIN_PREFIX_WORD ? `${w.toLowerCase()}*` : w.toLowerCase();
}

/** Every term of the `t1612_prefilter` macro, in order, with the reason it is there. */
export function prefilterTerms(): Term[] {
  const out: Term[] = [];
  const seen = new Set<string>();
  const add = (term: string, why: string) => {
    const key = term.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ term, why });
  };
  for (const w of WORDS) add(wordTerm(w), `tool name ${w}`);
  for (const p of PORTS) add(p, `Docker API port ${p}`);
  for (const phrase of DOCKERD) {
    const t = phrase.trim().toLowerCase();
    if (t !== '') add(/\s/.test(t) ? `"${t}"` : t, `dockerd debug line (${JSON.stringify(phrase)})`);
  }
  for (const w of WORDS)
    for (const d of EXEC_DIRS) add(`${hexOf(d + w)}*`, `auditd hex argv0/argument ${JSON.stringify(d + w)}`);
  for (const sh of SHELL_C)
    for (const d of ['', '/bin/', '/usr/bin/'])
      add(`${hexOf(`${d}${sh}\u0000-c\u0000`)}*`, `auditd PROCTITLE of ${d}${sh} -c`);
  for (const w of WRAPPERS)
    for (const d of ['', '/usr/bin/', '/bin/'])
      add(`${hexOf(`${d}${w}\u0000`)}*`, `auditd PROCTITLE of the ${d}${w} wrapper`);
  // A shell's `-c` line is one hex argument (`a2=<hex>`) that names the tool mid-term: no index term can
  // match it, so every shell/su `-c` EXECVE record reaches the command (its regex prefilter then decides).
  const shells = [...SHELLS, ...SU].map((s) => s.toLowerCase());
  add(`(EXECVE "-c" (${shells.join(' OR ')}))`, 'auditd EXECVE of a shell or su -c (hex command line)');
  for (const s of API_SOCKETS) add(`0100${hexOf(s)}*`, `auditd SOCKADDR connect to ${s}`);
  return out;
}

/** `field="value"` alternatives of each source family (mirrors src/telemetry/normalise.ts dispatch). */
export const SOURCES = {
  sysmon: [
    ['sourcetype', 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational'],
    ['source', 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational'],
    ['source', 'WinEventLog:Microsoft-Windows-Sysmon/Operational'],
    ['sourcetype', 'sysmon:linux'],
    ['source', 'Syslog:Linux-Sysmon/Operational'],
  ],
  linux: [
    ['sourcetype', 'auditd'],
    ['sourcetype', 'linux:audit'],
    ['sourcetype', 'linux:audit:enriched'],
    ['sourcetype', 'linux_audit'],
    ['sourcetype', 'audit'],
    ['sourcetype', 'audit:linux'],
    ['sourcetype', 'linux_secure'],
    ['sourcetype', 'syslog'],
    ['sourcetype', 'linux_messages_syslog'],
    ['sourcetype', 'linux:syslog'],
    ['sourcetype', 'journald'],
    ['sourcetype', 'auth'],
    ['sourcetype', 'sudo'],
  ],
  // normalise.ts treats every sourcetype containing "docker" as dockerd output.
  dockerd: [['sourcetype', '*docker*']],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

/** CIM Endpoint.Processes fields the tstats filter looks at (substring, case-insensitive). */
export const CIM_FILTER_FIELDS: readonly string[] = ['Processes.process', 'Processes.process_path'];

/** Alternatives of the `t1612_cim_filter` macro: every tool word and API port inside those fields. */
export function cimFilterTerms(): string[] {
  const out: string[] = [];
  for (const f of CIM_FILTER_FIELDS) for (const w of [...WORDS, ...PORTS]) out.push(`${f}="*${w.toLowerCase()}*"`);
  return out;
}
