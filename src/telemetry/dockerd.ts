/**
 * dockerd logs (logrus text, plain or after a journald/syslog `dockerd[<pid>]:` prefix):
 * `msg="Calling POST /v1.41/build?…"` → method, path, query; `msg="form data: {…}"` → the JSON text.
 */
import { NormalisedEvent } from './types';
import { syslogHost } from './sudo';
import { STEPS } from '../steps';

// Both regexes are linear: CALLING is anchored and its two runs are separated by a space they cannot
// match; PID tries only at `dockerd[`, and its digit run cannot contain the next `dockerd[`.
const CALLING = /^Calling (\w+) (\S+)/;
const PID = /\bdockerd\[(\d+)\]:/;

const isWs = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isWord = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * The first `msg=` value: `msg="…"` with Go escapes (the text between the quotes, still escaped) or an
 * unquoted word (an unterminated quote falls back to the word). `quoted` tells which. One pass: each
 * character after `msg=` is read at most twice (steps in STEPS.dockerd).
 */
export function scanMsg(raw: string): { value: string; quoted: boolean } | undefined {
  const n = raw.length;
  let from = 0;
  let steps = 0;
  try {
    for (;;) {
      const at = raw.indexOf('msg=', from);
      steps += (at < 0 ? n : at) - from + 1;
      if (at < 0) return undefined;
      from = at + 4;
      if (at > 0 && isWord(raw.charCodeAt(at - 1))) continue;
      const v = at + 4;
      if (raw.charCodeAt(v) === 34 /* " */) {
        let i = v + 1;
        while (i < n) {
          const c = raw.charCodeAt(i);
          if (c === 34) break;
          i += c === 92 /* \ */ && i + 1 < n ? 2 : 1;
          steps++;
        }
        if (i < n) return { value: raw.slice(v + 1, i), quoted: true };
      }
      let e = v;
      while (e < n && !isWs(raw.charCodeAt(e))) e++;
      steps += e - v;
      if (e > v) return { value: raw.slice(v, e), quoted: false };
    }
  } finally {
    STEPS.dockerd += steps;
  }
}

function unescapeGo(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  try {
    return JSON.parse('"' + s + '"') as string;
  } catch {
    return s.replace(/\\(.)/g, '$1');
  }
}

export function normaliseDockerd(raw: string): NormalisedEvent | undefined {
  if (raw.indexOf('level=') < 0 && raw.indexOf('dockerd[') < 0) return undefined;
  const m = scanMsg(raw);
  if (!m) return undefined;
  const msg = m.quoted ? unescapeGo(m.value) : m.value;
  const out: NormalisedEvent = { t1612_source: 'dockerd', process_name: 'dockerd' };
  const pid = PID.exec(raw);
  if (pid) out.process_id = pid[1];
  const host = pid ? syslogHost(raw) : undefined;
  if (host) out.dest = host;
  const c = CALLING.exec(msg);
  if (c) {
    out.event_kind = 'docker_api';
    out.docker_api_method = c[1];
    const q = c[2].indexOf('?');
    out.docker_api_path = q < 0 ? c[2] : c[2].slice(0, q);
    if (q >= 0) out.docker_api_query = c[2].slice(q + 1);
    out.t1612_source = 'dockerd:api';
  } else if (msg.startsWith('form data: ')) {
    out.event_kind = 'docker_api';
    out.docker_api_form = msg.slice(11);
    out.t1612_source = 'dockerd:form';
  } else {
    out.event_kind = 'other';
  }
  return out;
}

/** Query parameters of docker_api_query, decoded (`remote=http://…`, `dockerfile=…`). */
export function dockerQueryParams(query: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!query) return out;
  for (const [k, v] of new URLSearchParams(query)) if (!(k in out)) out[k] = v;
  return out;
}
