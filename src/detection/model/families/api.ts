/**
 * The Docker API used without the docker CLI: HTTP clients (curl, wget, httpie, PowerShell
 * Invoke-WebRequest/Invoke-RestMethod), raw socket clients (socat, nc), and scripts (python docker SDK,
 * requests/urllib, dockerode, docker-java…) whose command line names an API URL or an SDK build call.
 * A request is classified by its endpoint: build/session → api_build, images/create?fromSrc and
 * images/load → import, commit → commit, containers/create with a body → run. GETs are not builds.
 */
import type { Exec } from '../unwrap';
import { isDockerSocket, isRemote } from '../paths';
import type { Finding } from '../types';
import { CURL_OPTS, PLAIN_API_PORTS } from '../catalogue';
import { walkOptions } from '../option-walker';
import { apiEndpoint, isApiPort, isVersionedApiPath, parseUrl, ParsedUrl, queryParams } from '../http';
import { newFinding, set, tempSignal } from './common';
import { formSignals } from './run';
import { importSource, isOfficialImage } from './image';

export interface ApiRequest {
  url: ParsedUrl;
  /** How the client reached the API (`via /var/run/docker.sock`, `to 10.0.0.5:2375`). */
  via: string;
  /** Upper-case method when known; undefined = unknown (scripts). */
  method?: string;
  bodyFile?: string;
  data?: string;
}

/** Signals an API build request's query carries (nocache, remote, dockerfile hint, tag). */
export function apiQuerySignals(f: Finding, query: string): void {
  const q = queryParams(query);
  const nocache = q.get('nocache');
  if (nocache !== undefined && /^(?:1|true)$/i.test(nocache)) set(f, 'no_cache', `no cache: nocache=${nocache}`);
  const remote = q.get('remote');
  if (remote !== undefined && remote !== '' && remote !== 'client-session' && remote !== 'context')
    set(f, 'external_file', `remote context (API remote=): ${remote}`);
  const df = q.get('dockerfile');
  if (df !== undefined && df.startsWith('.dockerfile.'))
    f.hints.push(`Dockerfile sent apart from the context (stdin or -f outside it): dockerfile=${df}`);
  else if (df !== undefined && isRemote(df)) set(f, 'external_file', `remote Dockerfile (API dockerfile=): ${df}`);
  const t = q.get('t');
  if (t) f.image = t;
}

/** Classifies one request to the API; undefined when it creates no image and runs nothing escape-ready. */
export function apiRequestFinding(
  req: ApiRequest,
  tool: string,
  argv: readonly string[],
  exec: Exec,
): Finding | undefined {
  const { url, via, method } = req;
  if (method === 'GET' || method === 'HEAD') return undefined;
  const ep = apiEndpoint(url.path);
  const shown = `${url.path}${url.query ? '?' + url.query : ''}`;
  if (ep === 'build' || ep === 'session') {
    const f = newFinding('api_build', tool, argv, exec);
    set(f, 'api_build', `Docker API ${ep === 'session' ? 'BuildKit session' : 'build request'} ${via}: ${shown}`);
    apiQuerySignals(f, url.query);
    if (req.bodyFile === '-') set(f, 'stdin_dockerfile', `build context/Dockerfile from stdin: ${tool}`);
    else if (req.bodyFile !== undefined) tempSignal(f, 'context tar', req.bodyFile, exec.cwd);
    return f;
  }
  if (ep === 'images/create') {
    const src = queryParams(url.query).get('fromSrc');
    if (src === undefined) return undefined; // fromImage= is a pull
    const f = newFinding('import', tool, argv, exec);
    importSource(f, `API images/create ${via}`, src === '-' ? (req.bodyFile ?? '-') : src, exec);
    return f;
  }
  if (ep === 'images/load') {
    const f = newFinding('import', tool, argv, exec);
    importSource(f, `API images/load ${via}`, req.bodyFile ?? '-', exec);
    return f;
  }
  if (ep === 'commit') {
    const q = queryParams(url.query);
    const repo = q.get('repo');
    const f = newFinding('commit', tool, argv, exec);
    if (repo) {
      const target = q.get('tag') ? `${repo}:${q.get('tag')}` : repo;
      f.image = target;
      if (isOfficialImage(target))
        set(f, 'commit_trusted', `API commit ${via}: container ${q.get('container') ?? '?'} as ${target}`);
    }
    return f;
  }
  if (ep === 'containers/create' && req.data !== undefined) {
    const f = newFinding('run', tool, argv, exec);
    formSignals(f, req.data, `API containers/create ${via}`);
    return f.reasons.socket_mount !== undefined || f.reasons.privileged_run !== undefined ? f : undefined;
  }
  return undefined;
}

const PCT_SLASH = /%2f/gi;

/** A URL that reaches the Docker API: through a docker socket, an API port, or a versioned API path. */
function apiUrl(u: string, socket: string | undefined): { url: ParsedUrl; via: string } | undefined {
  const url = parseUrl(u);
  if (!url) return undefined;
  if (socket !== undefined && isDockerSocket(socket)) return { url, via: `via ${socket}` };
  // requests-unixsocket / httpie-unixsocket: `http+unix://%2Fvar%2Frun%2Fdocker.sock/build`
  if (url.scheme === 'http+unix') {
    const path = url.host.replace(PCT_SLASH, '/');
    return isDockerSocket(path) ? { url, via: `via ${path}` } : undefined;
  }
  if (url.scheme === 'unix' || url.scheme === 'npipe') return undefined;
  if (isApiPort(url.port) || isVersionedApiPath(url.path))
    return { url, via: `to ${url.host}${url.port ? ':' + url.port : ''}` };
  return undefined;
}

/** curl, wget, httpie. */
export function httpClient(argv: readonly string[], j: number, tool: string, exec: Exec): Finding | undefined {
  const w = walkOptions(argv, j, CURL_OPTS);
  let socket: string | undefined;
  let method: string | undefined;
  let bodyFile: string | undefined;
  let data: string | undefined;
  const urls = [...w.positionals];
  for (const o of w.opts) {
    const v = o.value;
    if (v === undefined) continue;
    switch (o.name) {
      case '--unix-socket':
      case '--abstract-unix-socket':
        socket = v;
        break;
      case '--url':
        urls.push(v);
        break;
      case '-X':
      case '--method':
        method = v.toUpperCase();
        break;
      case '-T':
      case '--post-file':
      case '--body-file':
        bodyFile = v;
        break;
      case '-d':
      case '--data-binary':
      case '--data-raw':
      case '--data-urlencode':
      case '--data-ascii':
      case '--json':
      case '--post-data':
      case '--body-data':
        if (v.startsWith('@')) bodyFile = v.slice(1);
        else data = v;
        break;
    }
  }
  if (method === undefined) {
    if (tool === 'http' || tool === 'https' || tool === 'xh') {
      const m = urls.length > 1 ? urls[0].toUpperCase() : '';
      if (m === 'POST' || m === 'PUT') method = m;
    } else method = bodyFile !== undefined || data !== undefined ? 'POST' : 'GET';
  }
  let best: Finding | undefined;
  for (const u of urls) {
    const a = apiUrl(u, socket);
    if (!a) continue;
    const f = apiRequestFinding({ ...a, method, bodyFile, data }, tool, argv, exec);
    if (f && (best === undefined || f.activity === 'api_build')) best = f;
  }
  return best;
}

/** PowerShell Invoke-WebRequest / Invoke-RestMethod (parameter names are case-insensitive). */
export function powershellClient(argv: readonly string[], j: number, tool: string, exec: Exec): Finding | undefined {
  let uri: string | undefined;
  let method: string | undefined;
  let bodyFile: string | undefined;
  let data: string | undefined;
  let socket: string | undefined;
  for (let i = j; i < argv.length && i < 256; i++) {
    const a = argv[i];
    const lower = a.toLowerCase();
    const next = argv[i + 1];
    if (!a.startsWith('-')) {
      uri ??= a;
      continue;
    }
    if (next === undefined) break;
    if (lower === '-uri' || lower === '-u') uri = next;
    else if (lower === '-method') method = next.toUpperCase();
    else if (lower === '-infile') bodyFile = next;
    else if (lower === '-body') data = next;
    else if (lower === '-unixsocket') socket = next;
    else continue;
    i++;
  }
  if (uri === undefined) return undefined;
  const a = apiUrl(uri, socket);
  if (!a) return undefined;
  return apiRequestFinding({ ...a, method: method ?? 'GET', bodyFile, data }, tool, argv, exec);
}

const SOCAT_UNIX = /^(?:unix(?:-connect|-client|-sendto)?|gopen|open):([^,]+)/i;
const SOCAT_TCP = /^tcp[46]?(?:-connect)?:([^:,]+):(\d+)(?:,|$)/i;

/** socat / nc to a docker socket or API port: the request itself is not logged. */
export function rawSocketClient(argv: readonly string[], _j: number, tool: string, exec: Exec): Finding | undefined {
  let target: string | undefined;
  let plainTcp = false;
  if (tool === 'socat') {
    for (let j = 1; j < argv.length && j < 64 && target === undefined; j++) {
      const a = argv[j];
      const u = SOCAT_UNIX.exec(a);
      const t = SOCAT_TCP.exec(a);
      if (u && isDockerSocket(u[1])) target = a;
      else if (t && isApiPort(t[2])) {
        target = a;
        plainTcp = PLAIN_API_PORTS.has(t[2]);
      }
    }
  } else {
    let unix = false;
    const pos: string[] = [];
    for (let j = 1; j < argv.length && j < 64; j++) {
      const a = argv[j];
      if (/^-[a-zA-Z]*U[a-zA-Z]*$/.test(a) || a === '--unixsock') unix = true;
      else if (!a.startsWith('-')) pos.push(a);
    }
    for (const a of pos) {
      if ((unix || a.startsWith('/')) && isDockerSocket(a)) target = a;
      else if (isApiPort(a) && pos.length >= 2) {
        target = pos.join(' ');
        plainTcp = PLAIN_API_PORTS.has(a);
      }
      if (target !== undefined) break;
    }
  }
  if (target === undefined) return undefined;
  const f = newFinding('api_client', tool, argv, exec);
  if (plainTcp)
    set(f, 'api_tcp_connect', `raw client to the plain-text Docker API (request not logged): ${tool} ${target}`);
  else set(f, 'api_connect', `raw client to the Docker socket/API (request not logged): ${tool} ${target}`);
  return f;
}

// ---- scripts and SDKs -----------------------------------------------------------------------------------

/** Docker SDK calls that build or create images (python docker, dockerode, docker-java, Docker.DotNet). */
const SDK_CALLS: readonly [RegExp, Finding['activity'], string][] = [
  [
    /\.images\.build\(|\bapiclient\([^)]{0,200}\)\.build\(|\bclient\.build\(|\.build\(\s*path\s*=|\.build\(\s*fileobj\s*=/i,
    'api_build',
    'docker SDK build',
  ],
  [/\bbuildimage\(|\bbuildimagecmd\(|\bbuildimageasync\(/i, 'api_build', 'docker SDK build'],
  [
    /\.images\.load\(|\.load_image\(|\.import_image(?:_from_url|_from_file)?\(|\bloadimage\(|\bimportimage\(/i,
    'import',
    'docker SDK image import',
  ],
  [/\.commit\(\s*(?:repository\s*=|['"])/i, 'commit', 'docker SDK commit'],
];
const SDK_HINT =
  /\bimport\s+docker\b|docker\.from_env|docker\.dockerclient|require\(['"]dockerode['"]\)|dockerclientbuilder|\bdocker\.dotnet\b/i;
const URL_MARKERS = ['://', ':2375', ':2376', ':4243'];
const MAX_URLS = 32;

function isDelimiter(c: string): boolean {
  return (
    c === ' ' ||
    c === '\t' ||
    c === '\n' ||
    c === '"' ||
    c === "'" ||
    c === '`' ||
    c === '(' ||
    c === ')' ||
    c === ',' ||
    c === ';'
  );
}

/** The word around offset i (delimited by spaces, quotes, parentheses), at most 256 back and 2048 ahead. */
function wordAround(s: string, i: number): [number, number] {
  let a = i;
  while (a > 0 && i - a < 256 && !isDelimiter(s[a - 1])) a--;
  let b = i;
  while (b < s.length && b - i < 2048 && !isDelimiter(s[b])) b++;
  return [a, b];
}

/** URL-like words of a script (`http://h:2375/build`, `localhost:2375/v1.41/build`), found by marker. */
function urlsInText(s: string): string[] {
  const out = new Set<string>();
  for (const marker of URL_MARKERS) {
    for (let i = s.indexOf(marker); i >= 0 && out.size < MAX_URLS;) {
      const [a, b] = wordAround(s, i);
      out.add(s.slice(a, b));
      i = s.indexOf(marker, Math.max(b, i + marker.length));
    }
  }
  return [...out];
}

function socketInText(s: string): string | undefined {
  const i = s.indexOf('docker.sock');
  if (i < 0) return undefined;
  const [a, b] = wordAround(s, i);
  return s.slice(a, b).replace(/^unix:\/\//, '');
}
const MAX_SCRIPT = 16 * 1024;

/**
 * A script or unknown program whose command line names a Docker API URL (POST to build/session/…) or a
 * docker SDK build/import/commit call. `text` is the whole command line.
 */
export function scriptApiUse(text: string, tool: string, exec: Exec): Finding | undefined {
  const s = text.length > MAX_SCRIPT ? text.slice(0, MAX_SCRIPT) : text;
  const lower = s.toLowerCase();
  const argv = exec.argv;
  if (SDK_HINT.test(s) || lower.indexOf('docker') >= 0) {
    for (const [re, activity, what] of SDK_CALLS) {
      if (!re.test(s)) continue;
      const f = newFinding(activity, tool, argv, exec);
      f.command = s;
      if (activity === 'api_build') set(f, 'api_build', `${what} in a ${tool} command line`);
      const path = /\bpath\s*=\s*['"]([^'"]{1,512})['"]/.exec(s);
      if (path) tempSignal(f, 'context', path[1], exec.cwd);
      const remote =
        /\bremote\s*=\s*['"]([^'"]{1,512})['"]/.exec(s) ?? /\bpath\s*=\s*['"]((?:https?|git):[^'"]{1,512})['"]/.exec(s);
      if (remote && isRemote(remote[1])) set(f, 'external_file', `remote context (SDK): ${remote[1]}`);
      if (/\bnocache\s*=\s*true/i.test(s)) set(f, 'no_cache', 'no cache: nocache=True');
      if (activity === 'import') {
        const src = /['"]((?:https?:\/\/|\/)[^'"]{1,512})['"]/.exec(s);
        importSource(f, `${what}`, src?.[1] ?? '-', exec);
      }
      if (activity === 'commit') {
        const repo = /repository\s*=\s*['"]([^'"]{1,256})['"]/.exec(s);
        if (repo && isOfficialImage(repo[1])) set(f, 'commit_trusted', `${what} onto ${repo[1]}`);
      }
      return f;
    }
  }
  const socket = socketInText(s);
  const post = lower.indexOf('post') >= 0 || lower.indexOf('-infile') >= 0 ? 'POST' : undefined;
  let best: Finding | undefined;
  for (const u of urlsInText(s)) {
    const a = apiUrl(u.indexOf('://') < 0 ? 'http://' + u : u, socket);
    if (!a) continue;
    const f = apiRequestFinding({ ...a, method: post ?? 'GET' }, tool, argv, exec);
    if (f) {
      f.command = s;
      if (best === undefined || f.activity === 'api_build') best = f;
    }
  }
  return best;
}
