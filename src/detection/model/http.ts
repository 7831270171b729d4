/**
 * Docker API request text: URLs (`http://h:2375/v1.41/build?…`, `unix:///var/run/docker.sock`, curl's
 * scheme-less `localhost:2375/build`), query strings, and the containers/create JSON body (dockerd's
 * `form data:` line, `curl -d '{…}'`). Every function is one pass over its input with a hard cap.
 */
import { API_PORTS } from './catalogue';

/** Bytes of a URL, query or JSON body looked at. */
export const MAX_HTTP_TEXT = 64 * 1024;
/** Query parameters read. */
export const MAX_QUERY_PARAMS = 256;

export interface ParsedUrl {
  scheme: string;
  host: string;
  port: string;
  path: string;
  query: string;
}

const API_PORT_SET = new Set(API_PORTS);

/** Splits a URL without regex backtracking; undefined when it has no host/path shape. */
export function parseUrl(input: string): ParsedUrl | undefined {
  const u = input.length > MAX_HTTP_TEXT ? input.slice(0, MAX_HTTP_TEXT) : input;
  let rest = u;
  let scheme = '';
  const sep = rest.indexOf('://');
  if (sep > 0 && sep <= 10 && /^[a-z][\w+.-]*$/i.test(rest.slice(0, sep))) {
    scheme = rest.slice(0, sep).toLowerCase();
    rest = rest.slice(sep + 3);
  } else if (/^https?:\/[^/]/i.test(rest)) {
    // curl accepts `http:/v1.41/build` (no host) with --unix-socket
    scheme = rest.slice(0, rest.indexOf(':')).toLowerCase();
    rest = rest.slice(scheme.length + 1);
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const query = q < 0 ? '' : rest.slice(q + 1);
  if (q >= 0) rest = rest.slice(0, q);
  const slash = rest.indexOf('/');
  let hostPort = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '/' : rest.slice(slash);
  if (scheme === 'unix') return { scheme, host: '', port: '', path: hostPort === '' ? path : '/' + rest, query };
  const at = hostPort.lastIndexOf('@');
  if (at >= 0) hostPort = hostPort.slice(at + 1);
  const colon = hostPort.lastIndexOf(':');
  const port = colon >= 0 && /^\d{1,5}$/.test(hostPort.slice(colon + 1)) ? hostPort.slice(colon + 1) : '';
  const host = port ? hostPort.slice(0, colon) : hostPort;
  if (scheme === '' && port === '') return undefined; // a bare word, not a URL
  return { scheme, host, port, path, query };
}

export function isApiPort(port: string): boolean {
  return API_PORT_SET.has(port);
}

/** `/v1.41/build` → `build`; `/build/` → `build`; `/v1.41/images/create` → `images/create`. */
export function apiEndpoint(path: string): string {
  let p = path;
  if (p.startsWith('/v')) {
    let i = 2;
    while (i < p.length && ((p[i] >= '0' && p[i] <= '9') || p[i] === '.')) i++;
    if (i > 2 && (i === p.length || p[i] === '/')) p = p.slice(i);
  }
  let a = 0;
  let b = p.length;
  while (a < b && p[a] === '/') a++;
  while (b > a && p[b - 1] === '/') b--;
  return p.slice(a, b);
}

/** A path with an API version prefix (`/v1.41/…`): says "Docker API" whatever the port. */
export function isVersionedApiPath(path: string): boolean {
  return /^\/v\d+\.\d+\//.test(path);
}

/** Query parameters (first value wins), decoded, at most MAX_QUERY_PARAMS. */
export function queryParams(query: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!query) return out;
  const q = query.length > MAX_HTTP_TEXT ? query.slice(0, MAX_HTTP_TEXT) : query;
  let start = 0;
  for (let n = 0; start <= q.length && n < MAX_QUERY_PARAMS; n++) {
    let end = q.indexOf('&', start);
    if (end < 0) end = q.length;
    const part = q.slice(start, end);
    start = end + 1;
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    let v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      v = decodeURIComponent(v.replace(/\+/g, ' '));
    } catch {
      /* keep raw */
    }
    if (!out.has(k)) out.set(k, v);
  }
  return out;
}

export interface CreateBody {
  binds: string[];
  mountSources: string[];
  privileged: boolean;
  pidHost: boolean;
  image?: string;
}

const MAX_STRINGS = 4096;

/**
 * Reads a containers/create JSON body in one pass: the strings inside `"Binds":[…]`, `"Source":"…"`
 * values, `"Privileged":true`, `"PidMode":"host"`, `"Image":"…"`. Tolerates truncated or invalid JSON
 * (dockerd cuts long lines): each byte is visited once, whatever the nesting or repetition.
 */
export function readCreateBody(form: string): CreateBody {
  const s = form.length > MAX_HTTP_TEXT ? form.slice(0, MAX_HTTP_TEXT) : form;
  const out: CreateBody = { binds: [], mountSources: [], privileged: false, pidHost: false };
  let key: string | undefined; // the last object key seen (a string followed by ':')
  let inBinds = false;
  let strings = 0;
  let i = 0;
  while (i < s.length && strings < MAX_STRINGS) {
    const c = s[i];
    if (c === '"') {
      // a JSON string: scan to the closing quote (escapes skipped)
      let j = i + 1;
      let text = '';
      let segStart = j;
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\') {
          text += s.slice(segStart, j) + (s[j + 1] ?? '');
          j += 2;
          segStart = j;
          continue;
        }
        j++;
      }
      text += s.slice(segStart, Math.min(j, s.length));
      strings++;
      i = j + 1;
      // what follows: ':' means the string was a key
      let k = i;
      while (k < s.length && (s[k] === ' ' || s[k] === '\t')) k++;
      if (s[k] === ':') {
        key = text;
        inBinds = false;
        i = k + 1;
        continue;
      }
      if (inBinds) out.binds.push(text);
      else if (key === 'Source') out.mountSources.push(text);
      else if (key === 'PidMode' && text === 'host') out.pidHost = true;
      else if (key === 'Image' && out.image === undefined && text) out.image = text;
      continue;
    }
    if (c === '[') {
      inBinds = key === 'Binds';
    } else if (c === ']') {
      inBinds = false;
    } else if (c === 't' && key === 'Privileged' && s.startsWith('true', i)) {
      out.privileged = true;
    }
    i++;
  }
  return out;
}
