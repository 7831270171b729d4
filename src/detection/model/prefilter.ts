/**
 * Which raw events can possibly matter to the model: a cheap test on the whole event text, run
 * before any parsing so that the ~99% of events with no container tooling cost next to nothing.
 * It must accept every event that detect() could score — test/detection/prefilter.test.ts checks
 * that on all sample telemetry and the labelled corpus. Every list derives from the catalogue
 * (catalogue.ts); the CONTENT side generates the Splunk `t1612_prefilter`/`t1612_sources` macros from
 * these exports.
 */
import { API_PATHS, API_PORTS, CLIENT_NAMES, DOCKERD_PHRASES, TOOL_NAMES } from './catalogue';

/** Distinctive tool names and docker words: matched as substrings, any case. */
export const WORDS: readonly string[] = [
  'docker',
  'podman',
  'buildah',
  'nerdctl',
  'buildctl',
  'kaniko',
  'executor',
  'finch',
  'buildx',
];
/** Short tool names that are ordinary substrings (`img`, `ctr`): matched as whole words only. */
export const SHORT_WORDS: readonly string[] = TOOL_NAMES.filter(
  (n) => !CLIENT_NAMES.has(n) && !WORDS.some((w) => n.indexOf(w) >= 0),
);
/** Docker API TCP ports (network events, `curl http://h:2375/build`, `nc h 4243`). */
export const PORTS: readonly string[] = API_PORTS;
/** API request paths an HTTP client names (`/build`, `/images/create`, `/images/load`). */
export const API_PATH_WORDS: readonly string[] = [API_PATHS.build, API_PATHS.imagesCreate, API_PATHS.imagesLoad].map(
  (p) => '/' + p,
);
/** dockerd debug lines the normaliser turns into docker_api_* fields. */
export const DOCKERD: readonly string[] = DOCKERD_PHRASES;

const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex').toUpperCase();
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Quote-split words (`d''ocker`): shell quote obfuscation hides every name above. A literal `''` first (then a letter) keeps the
 * regex on its fast literal scan (a `\w` start would test every position); `""` is not used — the raw CSV
 * row escapes every quote that way (the hex forms are auditd's encoding of such arguments). `^x` is cmd.exe's
 * caret escape (`d^oc^ker`).
 */
const OBFUSCATION = ["''[a-z]", '2727[67][0-9a-f]', '2222[67][0-9a-f]', '\\^[a-z]'];

/**
 * One alternation with common prefixes factored (`build(?:ah|ctl|x)`): fewer alternatives for the regex
 * engine to try at each position of every raw event (the prefilter runs on all of them).
 */
export function literalAlternation(words: readonly string[]): string {
  const uniq = [...new Set(words.map((w) => w.toLowerCase()))].sort();
  const groups = new Map<string, string[]>();
  for (const w of uniq) {
    const key = w.slice(0, Math.min(4, w.length));
    const g = groups.get(key);
    if (g) g.push(w);
    else groups.set(key, [w]);
  }
  const out: string[] = [];
  for (const g of groups.values()) {
    if (g.length === 1) {
      out.push(esc(g[0]));
      continue;
    }
    let prefix = g[0];
    for (const w of g) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
    const rest = g.map((w) => esc(w.slice(prefix.length)));
    out.push(`${esc(prefix)}(?:${rest.join('|')})`);
  }
  return out.join('|');
}

/**
 * Plain tokens, plus their hex forms: auditd writes EXECVE arguments, PROCTITLE, USER_CMD `cmd=`
 * and SOCKADDR `saddr=` (…/docker.sock) as upper-case hex.
 */
/**
 * Two regexes tried one after the other: one big alternation makes the engine's first-character quick check
 * useless (every position becomes a candidate) and cost +80% on the benchmark stream; the names and their
 * hex forms (selective) first, then the rarer API/short-name/obfuscation evidence, costs about +25%.
 * `source` is the union, for whoever needs the pattern as text.
 */
class EitherRegExp extends RegExp {
  /** Tried one by one on each row by the command's row matcher (src/scp/row-match.ts). */
  readonly parts: readonly RegExp[];
  /** Literals every match contains (any case), when known: see PREFILTER_ANCHORS. */
  anchors?: readonly string[];
  constructor(...parts: RegExp[]) {
    super(parts.map((p) => p.source).join('|'), 'i');
    this.parts = parts;
  }
  override test(s: string): boolean {
    for (const p of this.parts) if (p.test(s)) return true;
    return false;
  }
}

/**
 * A regex that only runs where a cheap gate matches first (RegExp.prototype.test calls exec, so both go
 * through the gate). The row matcher keeps such a part whole instead of re-splitting its source.
 */
class GatedRegExp extends RegExp {
  constructor(
    private readonly gate: RegExp,
    body: RegExp,
  ) {
    super(body.source, body.flags);
  }
  override exec(s: string): RegExpExecArray | null {
    return this.gate.test(s) ? super.exec(s) : null;
  }
}

/**
 * Letters split by a quote or a backslash (`d"o"cker`, `d'o'c'ker`, `d\ocker`; in the raw CSV row a `"` is
 * `""`; in auditd hex the same bytes, 22/27/5C, between two letters) hide every name above inside a shell
 * script. Such forms are common in ordinary text, so they are looked for only in rows that carry a `-c`
 * script: the gate is a literal search, which keeps this from costing every event (measured: +42 ms per
 * 100,000 rows of the mixed bench stream, against +150 ms without the gate).
 */
const SCRIPT_OBFUSCATION = new GatedRegExp(
  /-c[\s"']/,
  /[a-z](?:\\?""?|'|\\)[a-z]|[67][0-9a-f](?:22|27|5c)[67][0-9a-f]/i,
);

/** AF_INET SOCKADDR to an API port: family 0200, port big-endian (2375 = 0947). */
const SOCKADDR_PORTS = PORTS.map((p) => '0200' + Number(p).toString(16).toUpperCase().padStart(4, '0'));

const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
const each = (prefix: string, next: readonly string[]) => next.map((c) => prefix + c);

/**
 * Literals every match of EVIDENCE_PREFILTER contains, in any case, part by part: its literal alternatives
 * themselves; `img`/`ctr` for `\b(?:img|ctr)\b`; the obfuscation forms spelled out (`''a`…`''z`, `22226`,
 * `^a`…); `-c` plus each character of `[\s"']` a latin1 row can hold for the script obfuscation's gate.
 * The command's row pass (src/scp/wasm/csv-index.ts) finds the rows with none of them, which then skip the
 * regex; test/detection/prefilter-anchors.test.ts checks that no match lacks one. A `"` only ends an anchor:
 * the rows are searched as CSV, where every `"` is doubled.
 */
export const PREFILTER_ANCHORS: readonly string[] = [
  ...WORDS,
  ...DOCKERD,
  ...PORTS,
  ...[...WORDS, ...PORTS].map(hex),
  ...API_PATH_WORDS,
  ...SHORT_WORDS,
  ...each("''", LETTERS),
  ...each('2727', ['6', '7']),
  ...each('2222', ['6', '7']),
  ...each('^', LETTERS),
  ...SOCKADDR_PORTS,
  ...each('-c', [' ', '\t', '\n', '\v', '\f', '\r', '\xa0', '"', "'"]),
];

export const EVIDENCE_PREFILTER: RegExp & { anchors?: readonly string[] } = new EitherRegExp(
  new RegExp(
    [literalAlternation([...WORDS, ...DOCKERD, ...PORTS]), literalAlternation([...WORDS, ...PORTS].map(hex))].join('|'),
    'i',
  ),
  new RegExp(
    [
      literalAlternation(API_PATH_WORDS),
      `\\b(?:${SHORT_WORDS.join('|')})\\b`,
      ...OBFUSCATION,
      literalAlternation(SOCKADDR_PORTS),
    ].join('|'),
    'i',
  ),
  SCRIPT_OBFUSCATION,
);
EVIDENCE_PREFILTER.anchors = PREFILTER_ANCHORS;

/**
 * The same test for one command line (detect.ts): names, short names, ports, API paths, obfuscation — what a
 * capped line must name to alert as evasion_complexity.
 */
export const LINE_PREFILTER = new RegExp(
  [
    literalAlternation([...WORDS, ...API_PATH_WORDS]),
    `\\b(?:${[...SHORT_WORDS, ...PORTS].join('|')})\\b`,
    ...OBFUSCATION,
  ].join('|'),
  'i',
);

/**
 * The seed's SPL needs "docker" (any case in its Sysmon branch, lower case elsewhere) in some field
 * for is_docker_build to be 1, so events without it are 0 whatever their sourcetype.
 */
export const SEED_PREFILTER = /docker/i;

/** Whether one command line can hold a build: LINE_PREFILTER, or letters split by quotes inside a `-c` script. */
export const LINE_EVIDENCE: RegExp = new EitherRegExp(LINE_PREFILTER, SCRIPT_OBFUSCATION);
