/**
 * A process's own argv, rebuilt from the event. A process command line is ONE argv: a `&`, `;` or `|`
 * in it was inside an argument (auditd and Sysmon for Linux join argv with spaces and lose the quoting;
 * Windows passes the raw line). So, unlike the shell tokeniser, these splitters know no operators:
 * - joined sources (auditd, sudo, Sysmon for Linux): split on whitespace;
 * - POSIX text with quotes (CIM rows, EDR exports): quotes group, backslash escapes;
 * - Windows: CommandLineToArgvW rules.
 * Then the catalogue's wrappers (sudo, env, nohup, timeout, wsl, …) are looked through.
 * Linear; at most MAX_ARGS arguments and MAX_ARGV_BYTES bytes are read (the rest is reported).
 */
import { MAX_ARGS, walkOptions } from './option-walker';
import { WRAPPERS } from './catalogue';
import { exeName, resolvePath } from './paths';

export const MAX_ARGV_BYTES = 256 * 1024;

export interface SplitArgv {
  argv: string[];
  /** Set when a cap cut the line: the cap's name. */
  truncated?: string;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function capped(line: string): [string, string | undefined] {
  return line.length > MAX_ARGV_BYTES
    ? [line.slice(0, MAX_ARGV_BYTES), `argv bytes cap ${MAX_ARGV_BYTES}`]
    : [line, undefined];
}

/** Whitespace split (argv joined with spaces by auditd / Sysmon for Linux / sudo). */
export function splitJoined(line: string): SplitArgv {
  const [s, cut] = capped(line);
  const argv: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    if (i >= s.length) break;
    if (argv.length >= MAX_ARGS) return { argv, truncated: `args per command cap ${MAX_ARGS}` };
    const start = i;
    while (i < s.length && !isSpace(s.charCodeAt(i))) i++;
    argv.push(s.slice(start, i));
  }
  return { argv, truncated: cut };
}

/** POSIX quoting without operators: '…' literal, "…" with \ escapes, \x outside quotes. */
export function splitPosix(line: string): SplitArgv {
  const [s, cut] = capped(line);
  const argv: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (!inWord && isSpace(s.charCodeAt(i))) continue;
    if (isSpace(s.charCodeAt(i))) {
      argv.push(cur);
      cur = '';
      inWord = false;
      if (argv.length >= MAX_ARGS) return { argv, truncated: `args per command cap ${MAX_ARGS}` };
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      const stop = end < 0 ? s.length : end;
      cur += s.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length && '"\\$`'.indexOf(s[j + 1]) >= 0) j++;
        cur += s[j];
        j++;
      }
      i = j;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[i + 1];
      i++;
    } else cur += c;
  }
  if (inWord) argv.push(cur);
  return { argv, truncated: cut };
}

/** CommandLineToArgvW: backslashes literal except before `"`; `""` inside quotes is a literal quote. */
export function splitWindows(line: string): SplitArgv {
  const [s, cut] = capped(line);
  const argv: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (!quoted && (c === ' ' || c === '\t')) {
      if (inWord) {
        argv.push(cur);
        cur = '';
        inWord = false;
        if (argv.length >= MAX_ARGS) return { argv, truncated: `args per command cap ${MAX_ARGS}` };
      }
      continue;
    }
    inWord = true;
    if (c === '\\') {
      let n = 0;
      while (i < s.length && s[i] === '\\') {
        n++;
        i++;
      }
      if (s[i] === '"') {
        cur += '\\'.repeat(n >> 1);
        if (n % 2 === 1) cur += '"';
        else quoted = !quoted;
      } else {
        cur += '\\'.repeat(n);
        i--;
      }
    } else if (c === '"') {
      if (quoted && s[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else cur += c;
  }
  if (inWord) argv.push(cur);
  return { argv, truncated: cut };
}

export interface Unwrapped {
  argv: string[];
  cwd?: string;
}

const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Looks through the catalogue's wrappers (`sudo -u root env X=1 nohup docker …`, `wsl -e docker …`);
 * returns the wrapped command's argv (empty when a wrapper runs nothing) and the working directory.
 */
export function throughWrappers(argv: readonly string[], cwd: string | undefined): Unwrapped {
  let j = 0;
  let dir = cwd;
  for (let guard = 0; guard < 16 && j < argv.length; guard++) {
    const name = exeName(argv[j]);
    const row = WRAPPERS.get(name);
    if (row === undefined) break;
    const w = walkOptions(argv, j + 1, row.spec, true);
    // `env -S '…'`, `script -c '…'`: the command is an option's value, a script unwrap.ts reads
    if (row.split !== undefined && w.opts.some((o) => o.value !== undefined && row.split?.has(o.name))) break;
    for (const o of w.opts) if (o.value !== undefined && row.chdir?.has(o.name)) dir = resolvePath(o.value, dir);
    let k = w.next;
    if (row.assignments) while (k < argv.length && ASSIGN.test(argv[k])) k++;
    for (let p = row.positionals ?? 0; p > 0 && k < argv.length; p--) k++;
    j = k;
  }
  return { argv: argv.slice(j), cwd: dir };
}
