/**
 * detect(): one model event → Detection. Pure, per event, no I/O.
 *
 * Dispatch on the evidence the event carries:
 * - dockerd request records (docker_api_*): POST /build is the daemon's record of every build
 *   (corroboration: daemon_build); images/create?fromSrc, commit → import/commit; containers/create
 *   form data with socket/host-root binds, Privileged or PidMode=host → run.
 * - socket_connect (auditd SOCKADDR): a docker socket connected to by a non-docker process → api_client.
 * - network (Sysmon EID 3, auditd AF_INET): an API port connected to by a non-docker process → api_client.
 * - process events: the process's own argv (argv.ts) and its executable fields, then the catalogue
 *   (recognise.ts); shells and script runners are unwrapped (unwrap.ts); scripts naming the API or an SDK.
 * Then the launch context (parent.ts) and the rules table (rules.ts) give the score and tier.
 */
import { LINE_EVIDENCE, LINE_PREFILTER } from './prefilter';
import { describeMatch, matchAllowlist } from './allowlist';
import { exeName, isDockerSocket, resolvePath, tempRoot } from './paths';
import { classifyLaunch, Launch, webServerAccount } from './parent';
import { recognise, recogniseWith, toolFor } from './recognise';
import { apiQuerySignals, apiRequestFinding, scriptApiUse } from './families/api';
import { formSignals } from './families/run';
import { newFinding, set } from './families/common';
import { isDockerOwn, KNOWN_API_CLIENTS, PLAIN_API_PORTS, SCRIPT_RUNNERS, WRAPPERS } from './catalogue';
import { apiEndpoint } from './http';
import { splitJoined, splitPosix, splitWindows, SplitArgv, throughWrappers } from './argv';
import { looksWindows } from './tokenize';
import { Exec, unwrapCommandLine } from './unwrap';
import { LOW_TIER, MODEL_ALERT_TEXT, TIERS } from './rules';
import { DEFAULT_OPTIONS, Detection, DetectOptions, Finding, ModelEvent, SIGNALS } from './types';

export { MODEL_ALERT_TEXT };

const JOINED_SOURCES = ['auditd', 'ausearch', 'sudo', 'sysmon-linux'];

/**
 * Every Detection starts as a copy of this (same keys, same order). Built with Object.fromEntries, it
 * keeps fast properties, so the spread copy is ~30 ns; assigning the signals one by one to a new object
 * cost ~0.8 µs per event (keyed stores adding properties).
 */
const NONE_ENTRIES: [string, unknown][] = [
  ['t1612_activity', 'none'],
  ['is_docker_build', 0],
  ['risk_score', 0],
  ['t1612_reasons', undefined],
  ['CommandLine', undefined],
  ['ParentCommandLine', undefined],
  ...SIGNALS.map((s): [string, unknown] => [s, 0]),
];
const NONE: Readonly<Record<string, unknown>> = Object.fromEntries(NONE_ENTRIES);

function none(ev: ModelEvent): Detection {
  const d = { ...NONE } as unknown as Detection;
  d.t1612_reasons = [];
  d.CommandLine = ev.process;
  d.ParentCommandLine = ev.parent_process;
  return d;
}

function score(f: Finding, weights: DetectOptions['weights']): number {
  let s = 0;
  for (const k of SIGNALS) if (f.reasons[k] !== undefined) s += weights[k];
  return s;
}

/** The event's own argv: whitespace for argv-joining sources, CommandLineToArgvW on Windows, else quote-aware. */
function ownArgv(ev: ModelEvent, line: string, windows: boolean): SplitArgv {
  if (windows) return splitWindows(line);
  const src = ev.t1612_source;
  for (const s of JOINED_SOURCES) if (src.startsWith(s)) return splitJoined(line);
  return line.indexOf('"') >= 0 || line.indexOf("'") >= 0 ? splitPosix(line) : splitJoined(line);
}

/** The catalogue tool that process_path/Image or OriginalFileName names, if any. */
function realTool(ev: ModelEvent): string | undefined {
  for (const v of [ev.process_path, ev.original_file_name]) {
    if (v === undefined) continue;
    const n = exeName(v);
    if (toolFor(n, [n]) !== undefined) return n;
  }
  return undefined;
}

const DOCKER_HOST = /\bDOCKER_HOST=["']?tcp:\/\/([\w.-]{1,253}|\[[0-9a-f:]{2,39}\]):(2375|4243)\b/;
const EXEC_A = /\bexec\s+-a\s+(?:'[^']{0,128}'|"[^"]{0,128}"|\S{1,128})/;
/** DOCKER_HOST=tcp://<remote>:2375 in the line: the CLI drives another host's plain-text API. */
function remoteDockerHost(f: Finding, line: string): void {
  if (f.activity === 'run' || line.indexOf('DOCKER_HOST=') < 0) return;
  const dh = DOCKER_HOST.exec(line);
  if (dh && !LOOPBACK.test(dh[1])) {
    set(f, 'api_tcp_connect', `CLI drives a remote plain-text Docker API: ${dh[0]}`);
    f.cliRemoteDaemon = true;
  }
}
const LOOPBACK = /^(?:localhost|127\.0\.0\.1|\[::1\])$/;
const INTERPRETERS = /^(?:python[0-9.]*|pythonw|perl[0-9.]*|ruby[0-9.]*|php[0-9.]*|node|nodejs|java|deno|bun)$/;

interface ProcessResult {
  finding?: Finding;
  truncated?: string;
  /** The finding came from the event's own script (its launcher is the event's command line). */
  own?: boolean;
}

function best(findings: (Finding | undefined)[], weights: DetectOptions['weights']): Finding | undefined {
  let b: Finding | undefined;
  let bs = -1;
  for (const f of findings) {
    if (!f) continue;
    const s = score(f, weights) + (f.activity === 'run' || f.activity === 'api_client' ? 0 : 0.5);
    if (s > bs) {
      b = f;
      bs = s;
    }
  }
  return b;
}

function fromProcess(ev: ModelEvent, weights: DetectOptions['weights']): ProcessResult {
  const line = ev.process;
  const real = realTool(ev);
  if (line === undefined || line === '' || (real === undefined && !LINE_EVIDENCE.test(line))) return {};
  const windows = looksWindows(line, ev.process_path);
  const split = ownArgv(ev, line, windows);
  // Windows: an unquoted executable path with spaces (`C:\Program Files\…\docker.exe build …`) is Image itself
  const img = ev.process_path;
  if (
    windows &&
    img !== undefined &&
    img.indexOf(' ') >= 0 &&
    line.length > img.length &&
    line[img.length] === ' ' &&
    line.slice(0, img.length).toLowerCase() === img.toLowerCase()
  )
    split.argv = [img, ...splitWindows(line.slice(img.length)).argv];
  const top = throughWrappers(split.argv, ev.process_current_directory);
  const argv = top.argv;
  if (argv.length === 0) return { truncated: split.truncated };
  const exec: Exec = { argv, cwd: top.cwd, windows };
  const name0 = exeName(argv[0]);
  const tool = toolFor(name0, argv);
  if (tool !== undefined) {
    let f = recogniseWith(tool, argv, exec);
    if (f?.activity === 'api_client' && /\bpost\s+\//i.test(line)) f = upgradeRaw(f, line);
    // `env DOCKER_HOST=tcp://<remote>:2375 docker build …`: the wrapper's assignment picks the daemon
    if (f !== undefined && argv !== split.argv) remoteDockerHost(f, line);
    return { finding: f, truncated: split.truncated };
  }
  if (SCRIPT_RUNNERS.has(name0) || WRAPPERS.has(name0)) {
    const u = unwrapCommandLine(line, windows, ev.process_current_directory);
    const found = u.execs.map((e) => recognise(e));
    let f = best(found, weights);
    if (f !== undefined) remoteDockerHost(f, line);
    // `exec -a '[kworker/0:1]' docker …`: the script renames the builder's argv0
    const spoof = EXEC_A.exec(line);
    if (f !== undefined && f.activity !== 'run' && spoof) set(f, 'masquerade', `argv0 set by exec -a: ${spoof[0]}`);
    if (f === undefined) f = scriptApiUse(line, name0, exec);
    else if (f.activity === 'api_client' && /\bpost\s+\//i.test(line)) f = upgradeRaw(f, line);
    return { finding: f, truncated: u.truncated ?? split.truncated, own: f !== undefined };
  }
  if (real !== undefined && !INTERPRETERS.test(name0)) {
    const t = toolFor(real, [real]);
    const f = t === undefined ? undefined : recogniseWith(t, [real, ...argv.slice(1)], exec);
    if (f !== undefined) {
      const shown =
        ev.original_file_name !== undefined && exeName(ev.original_file_name) === real
          ? 'OriginalFileName ' + ev.original_file_name
          : 'executable ' + (ev.process_path ?? real);
      set(f, 'masquerade', `argv0 "${argv[0]}" but ${shown}`);
      return { finding: f, truncated: split.truncated };
    }
  }
  return { finding: scriptApiUse(line, name0, exec), truncated: split.truncated };
}

/** A raw socket client fed an HTTP request in the same command line (`printf 'POST /v1.41/build…' | nc -U …`). */
function upgradeRaw(f: Finding, line: string): Finding {
  const m = /\bpost\s+(\/[^\s'"\\]{1,2048})/i.exec(line);
  if (!m) return f;
  const path = m[1];
  const q = path.indexOf('?');
  const ep = apiEndpoint(q < 0 ? path : path.slice(0, q));
  if (ep !== 'build' && ep !== 'session') return f;
  const g = newFinding('api_build', f.tool, [], { argv: [], windows: false });
  g.command = f.command;
  set(g, 'api_build', `Docker API build request written to a raw socket client: POST ${path}`);
  apiQuerySignals(g, q < 0 ? '' : path.slice(q + 1));
  return g;
}

function fromDockerApi(ev: ModelEvent): Finding | undefined {
  const method = (ev.docker_api_method ?? '').toUpperCase();
  const path = ev.docker_api_path;
  const query = ev.docker_api_query ?? '';
  const line = path !== undefined ? `${method} ${path}${query ? '?' + query : ''}` : '';
  const exec: Exec = { argv: [], windows: false };
  if (path !== undefined && method === 'POST') {
    const ep = apiEndpoint(path);
    if (ep === 'build') {
      const f = newFinding('api_build', 'dockerd', [], exec);
      f.command = line;
      set(f, 'daemon_build', `dockerd build request: ${line}`);
      apiQuerySignals(f, query);
      // the CLI event carries the same --no-cache: scoring it twice would let corroboration alone alert
      if (f.reasons.no_cache !== undefined) {
        f.hints.push(f.reasons.no_cache);
        delete f.reasons.no_cache;
      }
      return f;
    }
    if (ep === 'images/create' || ep === 'commit') {
      const f = apiRequestFinding(
        { url: { scheme: '', host: '', port: '', path, query }, via: 'at dockerd', method },
        'dockerd',
        [],
        exec,
      );
      if (f) f.command = line;
      return f;
    }
  }
  if (ev.docker_api_form !== undefined && (path === undefined || apiEndpoint(path) === 'containers/create')) {
    const f = newFinding('run', 'dockerd', [], exec);
    f.command = line || `form data: ${ev.docker_api_form.slice(0, 512)}`;
    formSignals(f, ev.docker_api_form, 'dockerd containers/create');
    return f.reasons.socket_mount !== undefined || f.reasons.privileged_run !== undefined ? f : undefined;
  }
  return undefined;
}

function exeOf(ev: ModelEvent): { exe: string; shown: string } | undefined {
  const shown = ev.process_path ?? ev.process_name;
  return shown === undefined ? undefined : { exe: exeName(shown), shown };
}

function writableExe(f: Finding, path: string | undefined): void {
  if (path === undefined) return;
  const p = resolvePath(path, undefined);
  const root = p === undefined ? undefined : tempRoot(p);
  if (root !== undefined) set(f, 'writable_exe', `${f.tool} runs from ${root}: ${path}`);
}

function fromSocket(ev: ModelEvent, weights: DetectOptions['weights']): ProcessResult {
  const sock = ev.socket_path;
  if (sock === undefined || !isDockerSocket(sock)) return {};
  const who = exeOf(ev);
  if (who !== undefined && isDockerOwn(who.exe)) return {};
  // the client's own command line may say more (curl … /v1.41/build?nocache=1)
  const p = fromProcess(ev, weights);
  if (p.finding !== undefined && p.finding.activity !== 'run') return p;
  const f = newFinding('api_client', who?.exe ?? 'unknown', [], { argv: [], windows: false });
  f.command = ev.process ?? who?.shown ?? '';
  set(f, 'api_connect', `docker.sock connect by non-docker client ${who?.shown ?? '(unknown executable)'}: ${sock}`);
  writableExe(f, ev.process_path);
  // the client's own command line is its launcher (`python3 /tmp/x.py`)
  return { finding: f, own: ev.process !== undefined };
}

function fromNetwork(ev: ModelEvent): Finding | undefined {
  const port = ev.dest_port;
  if (port === undefined || !/^(?:2375|2376|4243)$/.test(port)) return undefined;
  const who = exeOf(ev);
  if (who !== undefined && isDockerOwn(who.exe)) return undefined;
  const f = newFinding('api_client', who?.exe ?? 'unknown', [], { argv: [], windows: false });
  f.command = ev.process ?? who?.shown ?? '';
  const target = `${ev.dest_ip ?? '?'}:${port} by ${who?.shown ?? '(unknown executable)'}`;
  if (PLAIN_API_PORTS.has(port) && (who === undefined || !KNOWN_API_CLIENTS.has(who.exe)))
    set(f, 'api_tcp_connect', `plain-text Docker API connection ${target}`);
  else set(f, 'api_connect', `Docker API (TLS) connection ${target}`);
  writableExe(f, ev.process_path);
  return f;
}

/** alert_detail: the first tier of the rules table whose signals all fired. */
export function alertDetail(f: Finding): string {
  for (const t of TIERS) if (t.when.every((s) => f.reasons[s] !== undefined)) return t.text;
  return LOW_TIER;
}

function applyLaunch(f: Finding, ev: ModelEvent, own: boolean): Launch {
  const launch = classifyLaunch(
    own ? ev.process : undefined,
    ev.parent_process_name ?? ev.parent_process_path,
    ev.parent_process,
    ev.t1612_lineage,
    ev.process_current_directory,
    ev.process,
  );
  // an interactive login as the account is a person (a web shell upgraded to a pty is hostile already)
  const account =
    launch.kind === 'hostile' || launch.kind === 'ci' || launch.kind === 'interactive'
      ? undefined
      : webServerAccount(ev.user);
  if (launch.kind === 'hostile' && launch.reason) set(f, 'suspicious_parent', launch.reason);
  else if (account !== undefined) {
    set(f, 'suspicious_parent', `run as web server account ${account}`);
    if (launch.reason) f.hints.push(launch.reason);
  } else if (launch.reason) f.hints.push(launch.reason);
  if (launch.kind === 'ci' && f.gitRemote && f.reasons.external_file !== undefined) {
    // CI checkouts (docker/build-push-action's default context) build from the repository's git URL
    f.hints.push(`git context in CI (not scored): ${f.reasons.external_file}`);
    delete f.reasons.external_file;
  }
  if (launch.kind === 'ci' && f.cliRemoteDaemon && f.reasons.api_tcp_connect !== undefined) {
    // GitLab's Docker-in-Docker service: the job's CLI talks to `tcp://docker:2375` (GitLab CI docs)
    f.hints.push(`CLI to a remote daemon in CI (not scored): ${f.reasons.api_tcp_connect}`);
    delete f.reasons.api_tcp_connect;
  }
  if (launch.kind === 'ci' && f.activity === 'import' && f.reasons.from_temp !== undefined) {
    // sharing an image between CI jobs goes through a tarball in the runner's temp (docker docs)
    f.hints.push(`image file in temp in CI (not scored): ${f.reasons.from_temp}`);
    delete f.reasons.from_temp;
  }
  return launch;
}

/** Scores one model event. */
export function detect(ev: ModelEvent, options: DetectOptions = DEFAULT_OPTIONS): Detection {
  const kind = ev.event_kind;
  let r: ProcessResult = {};
  if (ev.docker_api_path !== undefined || ev.docker_api_form !== undefined) r = { finding: fromDockerApi(ev) };
  else if (kind === 'socket_connect' || (ev.socket_path !== undefined && kind === undefined))
    r = fromSocket(ev, options.weights);
  else if (kind === 'network') r = { finding: fromNetwork(ev), own: ev.process !== undefined };
  else if (kind === undefined || kind === 'process') r = fromProcess(ev, options.weights);
  let f = r.finding;
  if (r.truncated !== undefined && ev.process !== undefined && LINE_PREFILTER.test(ev.process)) {
    // evasion by complexity: the capped text names a builder or the API; alert on what was seen
    f ??= newFinding('build', 'unknown', [], { argv: [], windows: false });
    if (f.command === '') f.command = ev.process.slice(0, 1024);
    set(
      f,
      'evasion_complexity',
      `command line too complex to read in full (${r.truncated}) and it names a builder or the Docker API`,
    );
  }
  if (f === undefined) {
    const d = none(ev);
    if (r.truncated !== undefined) d.t1612_truncated = r.truncated;
    return d;
  }
  if (f.activity !== 'run' && ev.docker_api_path === undefined && ev.docker_api_form === undefined) {
    applyLaunch(f, ev, r.own === true);
    if (f.activity !== 'api_client') writableExe(f, ev.process_path ?? f.command.split(' ', 1)[0]);
  }

  const d = none(ev);
  if (r.truncated !== undefined) d.t1612_truncated = r.truncated;
  d.t1612_activity = f.activity;
  d.is_docker_build = f.activity === 'build' || f.activity === 'api_build' ? 1 : 0;
  d.t1612_tool = f.tool;
  if (f.image !== undefined) d.t1612_image = f.image;
  if (ev.docker_api_path !== undefined || ev.docker_api_form !== undefined) d.CommandLine = f.command;
  else if (d.CommandLine === undefined) d.CommandLine = f.command;
  for (const s of SIGNALS) {
    const reason = f.reasons[s];
    if (reason !== undefined) {
      d[s] = 1;
      d.t1612_reasons.push(reason);
    }
  }
  if (f.hints.length > 0) d.t1612_hints = f.hints;
  d.risk_score = score(f, options.weights);

  const rows = options.allowlist;
  if (rows !== undefined && rows.length > 0) {
    const parentName = ev.parent_process_name;
    const row = matchAllowlist(rows, {
      host: ev.host ?? ev.dest,
      user: ev.user,
      parentName: parentName ?? ev.parent_process,
      parentBase:
        parentName !== undefined
          ? exeName(parentName)
          : ev.parent_process !== undefined
            ? exeName(ev.parent_process.trim().split(/\s+/)[0].replace(/^"|"$/g, ''))
            : undefined,
      commandLine: d.CommandLine,
    });
    if (row !== undefined) {
      d.allowlisted = 1;
      d.allowlist_match = describeMatch(row);
      d.risk_score = 0;
      return d;
    }
    d.allowlisted = 0;
  }
  // a plain run or API connect with no signal never alerts, whatever the threshold
  const quiet = (f.activity === 'run' || f.activity === 'api_client') && d.risk_score <= 0;
  if (d.risk_score >= options.threshold && !quiet) d.alert_detail = alertDetail(f);
  return d;
}
