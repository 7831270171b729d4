/**
 * sudo's syslog line (linux_secure / syslog): `sudo: <user> : [TTY=<tty> ; ]PWD=<dir> ; USER=<runas> ;
 * [ENV=… ; ]COMMAND=<command line>`, after an RFC 3164 (`Nov 27 23:23:21 host `) or RFC 3339 header.
 */
import { NormalisedEvent } from './types';
import { basename, firstToken } from './util';
import { STEPS } from '../steps';

/** The parts of a sudo line, as `\bsudo(?:\[(\d+)\])?:\s+(\S+)\s+:\s+(.*)$` would capture them. */
interface SudoHead {
  pid?: string;
  user: string;
  rest: string;
}

const isWs = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isWord = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Where a `sudo:` / `sudo[<digits>]:` ending raw[start, end) begins, else `end`. */
function sudoSuffix(raw: string, start: number, end: number): number {
  let k = end - 1;
  if (raw.charCodeAt(k) !== 58) return end;
  k--;
  if (raw.charCodeAt(k) === 93) {
    k--;
    while (k > start && raw.charCodeAt(k) >= 48 && raw.charCodeAt(k) <= 57) k--;
    if (raw.charCodeAt(k) !== 91) return end;
    k--;
  }
  k -= 3;
  return k >= start && raw.startsWith('sudo', k) ? k : end;
}

/**
 * A hand scanner instead of the regex (which backtracked quadratically over `sudo: a : ` repeated before
 * a line break). The match has no line break, so only the last line is searched. Each try reads one
 * whitespace run, one word and one more whitespace run; a failed try resumes the search after the word it
 * read, so every character is read a bounded number of times (steps in STEPS.sudo).
 */
export function scanSudoHead(raw: string): SudoHead | undefined {
  const n = raw.length;
  let from = raw.lastIndexOf('\n') + 1;
  let steps = 0;
  try {
    for (;;) {
      const at = raw.indexOf('sudo', from);
      steps += (at < 0 ? n : at) - from + 1;
      if (at < 0) return undefined;
      from = at + 4;
      if (at > 0 && isWord(raw.charCodeAt(at - 1))) continue;
      let i = at + 4;
      let pid: string | undefined;
      if (raw.charCodeAt(i) === 91 /* [ */) {
        let j = i + 1;
        while (j < n && raw.charCodeAt(j) >= 48 && raw.charCodeAt(j) <= 57) j++;
        steps += j - i;
        if (j === i + 1 || raw.charCodeAt(j) !== 93 /* ] */) continue;
        pid = raw.slice(i + 1, j);
        i = j + 1;
      }
      if (raw.charCodeAt(i) !== 58 /* : */) continue;
      const ws1 = i + 1;
      i = ws1;
      while (i < n && isWs(raw.charCodeAt(i))) i++;
      if (i === ws1) continue;
      const userStart = i;
      while (i < n && !isWs(raw.charCodeAt(i))) i++;
      const userEnd = i;
      while (i < n && isWs(raw.charCodeAt(i))) i++;
      steps += i - ws1;
      // A later match can start inside this word only at a `sudo:` / `sudo[pid]:` that ends it.
      from = Math.max(from, sudoSuffix(raw, userStart, userEnd));
      if (userEnd === userStart || i === userEnd || raw.charCodeAt(i) !== 58) continue;
      let r = i + 1;
      while (r < n && isWs(raw.charCodeAt(r))) r++;
      steps += r - i;
      if (r === i + 1) continue;
      return { pid, user: raw.slice(userStart, userEnd), rest: raw.slice(r) };
    }
  } finally {
    STEPS.sudo += steps;
  }
}

export function normaliseSudo(raw: string): NormalisedEvent | undefined {
  const m = scanSudoHead(raw);
  if (!m) return undefined;
  const rest = m.rest;
  const c = rest.indexOf('COMMAND=');
  if (c < 0) return undefined;
  const out: NormalisedEvent = { t1612_source: 'sudo', event_kind: 'process', user: m.user };
  out.process = rest.slice(c + 8).trimEnd();
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
  if (m.pid) out.parent_process_id = m.pid;
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
