/**
 * dockerd logs (logrus text, plain or after a journald/syslog `dockerd[<pid>]:` prefix):
 * `msg="Calling POST /v1.41/build?…"` → method, path, query; `msg="form data: {…}"` → the JSON text.
 */
import { NormalisedEvent } from './types';
import { syslogHost } from './sudo';

const MSG = /\bmsg=(?:"((?:[^"\\]|\\.)*)"|(\S+))/;
const CALLING = /^Calling (\w+) (\S+)/;
const PID = /\bdockerd\[(\d+)\]:/;

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
  const m = MSG.exec(raw);
  if (!m) return undefined;
  const msg = m[1] !== undefined ? unescapeGo(m[1]) : m[2];
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
