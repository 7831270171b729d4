/**
 * The search vocabulary of the shipped base searches, derived from the detection model's own lists
 * (src/detection/model/prefilter.ts: WORDS, PORTS, DOCKERD) so the index-time prefilter can never drift
 * from what `| t1612score` recognises. Why each kind of term is needed: docs/content.md "Prefilter terms".
 */
import * as model from '../detection/model/prefilter';
import { SHELLS } from '../detection/model/unwrap';

/** The model's lists; SHORT_WORDS and API_PATH_WORDS are picked up when the model exports them. */
const optional = model as unknown as { SHORT_WORDS?: readonly string[]; API_PATH_WORDS?: readonly string[] };
export const WORDS: readonly string[] = model.WORDS;
export const SHORT_WORDS: readonly string[] = optional.SHORT_WORDS ?? [];
export const PORTS: readonly string[] = model.PORTS;
export const API_PATH_WORDS: readonly string[] = optional.API_PATH_WORDS ?? [];
export const DOCKERD: readonly string[] = model.DOCKERD;

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

/** Interpreters whose inline script (`-c`/`-e`) can drive the Docker API (docker SDK for Python, HTTP clients). */
export const INLINE_INTERPRETERS: readonly string[] = ['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php'];

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

export interface Vocabulary {
  words: readonly string[];
  shortWords: readonly string[];
  ports: readonly string[];
  apiPaths: readonly string[];
  dockerd: readonly string[];
}

export const MODEL_VOCABULARY: Vocabulary = {
  words: WORDS,
  shortWords: SHORT_WORDS,
  ports: PORTS,
  apiPaths: API_PATH_WORDS,
  dockerd: DOCKERD,
};

/** Every term of the `t1612_prefilter` macro, in order, with the reason it is there. */
export function prefilterTerms(v: Vocabulary = MODEL_VOCABULARY): Term[] {
  const out: Term[] = [];
  const seen = new Set<string>();
  const add = (term: string, why: string) => {
    const key = term.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ term, why });
  };
  for (const w of v.words) add(wordTerm(w), `tool name ${w}`);
  for (const w of v.shortWords) add(w.toLowerCase(), `short tool name ${w} (whole term)`);
  for (const p of v.ports) add(p, `Docker API port ${p}`);
  // A path is looked up by its parts and then matched in the raw text: "/build" finds ".../v1.41/build?...".
  for (const a of v.apiPaths) add(`"${a.toLowerCase()}"`, `Docker API path ${a}`);
  for (const phrase of v.dockerd) {
    const t = phrase.trim().toLowerCase();
    if (t !== '') add(/\s/.test(t) ? `"${t}"` : t, `dockerd debug line (${JSON.stringify(phrase)})`);
  }
  for (const w of v.words)
    for (const d of EXEC_DIRS) add(`${hexOf(d + w)}*`, `auditd hex argv0/argument ${JSON.stringify(d + w)}`);
  for (const sh of SHELL_C)
    for (const d of ['', '/bin/', '/usr/bin/'])
      add(`${hexOf(`${d}${sh}\u0000-c\u0000`)}*`, `auditd PROCTITLE of ${d}${sh} -c`);
  for (const w of WRAPPERS)
    for (const d of ['', '/usr/bin/', '/bin/'])
      add(`${hexOf(`${d}${w}\u0000`)}*`, `auditd PROCTITLE of the ${d}${w} wrapper`);
  // A shell's `-c` line can name the tool where no index term shows it: auditd writes it as one hex argument
  // (`a2=<hex>`), and quote-split names (`d''ocker`) break at the quote (a major breaker). So every shell/su `-c`
  // event reaches the command, whose regex prefilter then decides.
  const shells = [...SHELLS, ...SU].map((s) => s.toLowerCase());
  add(`("-c" (${shells.join(' OR ')}))`, 'a shell or su -c command line (hex in auditd, or obfuscated)');
  // cmd.exe's caret escapes (`d^oc^ker b^uild`) hide the tool word from the index in the same way.
  add('("/c" cmd)', 'a cmd.exe /c command line (caret-obfuscated names)');
  // Same for inline interpreter scripts (`python3 -c '<docker SDK one-liner>'`, `perl -e`): auditd hex-encodes them.
  add(
    `(("-c" OR "-e") (${INLINE_INTERPRETERS.join(' OR ')}))`,
    'an interpreter -c/-e one-liner (the Docker SDK or an HTTP client inside it; hex in auditd)',
  );
  for (const s of API_SOCKETS) add(`0100${hexOf(s)}*`, `auditd SOCKADDR connect to ${s}`);
  // AF_INET = 0200, then the port big-endian (2375 = 0947).
  for (const p of v.ports)
    add(`0200${Number(p).toString(16).toUpperCase().padStart(4, '0')}*`, `auditd SOCKADDR connect to port ${p}`);
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

/**
 * Alternatives of the `t1612_cim_filter` macro: a tool word, API port or API path inside the command line or
 * path; a short tool name as the whole process name.
 */
export function cimFilterTerms(v: Vocabulary = MODEL_VOCABULARY): string[] {
  const out: string[] = [];
  for (const f of CIM_FILTER_FIELDS) for (const w of [...v.words, ...v.ports]) out.push(`${f}="*${w.toLowerCase()}*"`);
  for (const w of v.shortWords) out.push(`Processes.process_name="${w.toLowerCase()}"`);
  for (const a of v.apiPaths) out.push(`Processes.process="*${a.toLowerCase()}*"`);
  // Quote-obfuscated names inside a shell's -c script (`sh -c "d''ocker bu''ild"`) show no tool word.
  const shells = [...SHELLS, ...SU].map((sh) => `Processes.process_name="${sh.toLowerCase()}"`);
  out.push(`(Processes.process="*-c*" (${shells.join(' OR ')}))`);
  out.push('(Processes.process="*/c*" Processes.process_name="cmd.exe")');
  return out;
}
