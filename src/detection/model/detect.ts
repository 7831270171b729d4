/**
 * detect(): one NormalisedEvent → Detection. Pure, per event, no I/O.
 *
 * Dispatch on the evidence the event carries:
 * - dockerd request records (docker_api_*): POST /v<N>/build → api_build; containers/create form data
 *   with socket/host-root binds, Privileged or PidMode=host → run.
 * - socket_connect (auditd SOCKADDR): a docker socket connected to by a process that is not the docker
 *   CLI/daemon/plugins → api_build.
 * - network (Sysmon EID 3): connection to 2375/2376 by a non-docker process → api_build.
 * - process events: argv recognition (unwrap.ts + recognise.ts) of `process`, after a cheap prefilter.
 */
import { ALERT_TEXT } from '../seed';
import { PORTS, WORDS } from './prefilter';
import { describeMatch, matchAllowlist } from './allowlist';
import { exeName, isDockerSocket } from './paths';
import { suspiciousParent } from './parent';
import { API_BUILD_PATH, API_CREATE_PATH, apiQuerySignals, formSignals, recognise } from './recognise';
import { looksWindows } from './tokenize';
import { DEFAULT_OPTIONS, Detection, DetectOptions, Finding, ModelEvent, SIGNALS, SignalName } from './types';
import { collectExecs } from './unwrap';

/** New alert texts, in the seed's "SEVERITY: what happened" form. */
export const MODEL_ALERT_TEXT = {
  apiBuild: 'HIGH: Image build sent straight to the Docker API',
  socketMount: 'HIGH: Container run with the Docker socket mounted',
  privilegedRun: 'HIGH: Privileged container run with host access',
  stdinAndParent: 'HIGH: Dockerfile piped from stdin by shell/script',
  stdin: 'MEDIUM: Dockerfile read from stdin',
} as const;

/** Only events whose command line names a builder, runtime, docker socket or API port are parsed. */
const PREFILTER = new RegExp([...WORDS, ...PORTS.map((p) => `\\b${p}\\b`)].join('|'), 'i');
/** The docker CLI, daemon and their helpers: their own docker.sock connects are not API builds. */
const DOCKER_OWN = new Set([
  'docker',
  'dockerd',
  'docker-proxy',
  'docker-init',
  'containerd',
  'runc',
  'docker-buildx',
  'docker-compose',
  'com.docker.cli',
  'com.docker.backend',
  'com.docker.proxy',
  'com.docker.build',
  'buildkitd',
  'docker-credential-desktop',
]);
const DOCKER_API_PORT = /^237[56]$/;

function isDockerOwn(exe: string): boolean {
  return DOCKER_OWN.has(exe) || exe.startsWith('containerd-shim') || exe.startsWith('docker-credential-');
}

function none(ev: ModelEvent): Detection {
  return {
    t1612_activity: 'none',
    is_docker_build: 0,
    from_temp: 0,
    no_cache: 0,
    external_file: 0,
    suspicious_parent: 0,
    stdin_dockerfile: 0,
    api_build: 0,
    socket_mount: 0,
    privileged_run: 0,
    risk_score: 0,
    t1612_reasons: [],
    CommandLine: ev.process,
    ParentCommandLine: ev.parent_process,
  };
}

function score(f: Finding, weights: DetectOptions['weights']): number {
  let s = 0;
  for (const k of SIGNALS) if (f.reasons[k] !== undefined) s += weights[k];
  return s;
}

/** The process-based finding with the highest score (first on ties) among the commands a line runs. */
function fromProcess(ev: ModelEvent, weights: DetectOptions['weights']): Finding | undefined {
  const line = ev.process;
  if (line === undefined || line === '' || !PREFILTER.test(line)) return undefined;
  const execs = collectExecs(line, looksWindows(line, ev.process_path), ev.process_current_directory);
  let best: Finding | undefined;
  let bestScore = -1;
  for (const e of execs) {
    const f = recognise(e);
    if (!f) continue;
    if (f.activity !== 'run') addParent(f, ev);
    const s = score(f, weights);
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  return best;
}

function addParent(f: Finding, ev: ModelEvent): void {
  if (f.launcher !== undefined) {
    // found inside the event's own `sh -c` / `su -c` / `cmd /c` script: that script launched it
    f.reasons.suspicious_parent = `launched by script: ${f.launcher}`;
    return;
  }
  const r = suspiciousParent(ev.parent_process_name, ev.parent_process);
  if (r !== undefined) f.reasons.suspicious_parent = r;
}

function fromDockerApi(ev: ModelEvent): Finding | undefined {
  const method = (ev.docker_api_method ?? '').toUpperCase();
  const path = ev.docker_api_path;
  const line = path !== undefined ? `${method} ${path}${ev.docker_api_query ? '?' + ev.docker_api_query : ''}` : '';
  if (path !== undefined && method === 'POST' && API_BUILD_PATH.test(path)) {
    const f: Finding = { activity: 'api_build', tool: 'dockerd', command: line, reasons: {}, hints: [] };
    f.reasons.api_build = `dockerd build request: ${line}`;
    apiQuerySignals(f, ev.docker_api_query ?? '');
    return f;
  }
  if (ev.docker_api_form !== undefined && (path === undefined || API_CREATE_PATH.test(path))) {
    const f: Finding = {
      activity: 'run',
      tool: 'dockerd',
      command: line || `form data: ${ev.docker_api_form}`,
      reasons: {},
      hints: [],
    };
    formSignals(f, ev.docker_api_form, 'dockerd containers/create');
    return f.reasons.socket_mount !== undefined || f.reasons.privileged_run !== undefined ? f : undefined;
  }
  return undefined;
}

function exeOf(ev: ModelEvent): { exe: string; shown: string } | undefined {
  const shown = ev.process_path ?? ev.process_name;
  return shown === undefined ? undefined : { exe: exeName(shown), shown };
}

function fromSocket(ev: ModelEvent, weights: DetectOptions['weights']): Finding | undefined {
  const sock = ev.socket_path;
  if (sock === undefined || !isDockerSocket(sock)) return undefined;
  const who = exeOf(ev);
  if (who !== undefined && isDockerOwn(who.exe)) return undefined;
  // the client's own command line may say more (curl … /v1.41/build?nocache=1)
  const p = fromProcess(ev, weights);
  if (p !== undefined && p.activity === 'api_build') return p;
  const f: Finding = {
    activity: 'api_build',
    tool: who?.exe ?? 'unknown',
    command: ev.process ?? who?.shown ?? '',
    reasons: {},
    hints: [],
  };
  f.reasons.api_build = `docker.sock connect by non-docker client ${who?.shown ?? '(unknown executable)'}: ${sock}`;
  addParent(f, ev);
  return f;
}

function fromNetwork(ev: ModelEvent): Finding | undefined {
  if (ev.dest_port === undefined || !DOCKER_API_PORT.test(ev.dest_port)) return undefined;
  const who = exeOf(ev);
  if (who !== undefined && isDockerOwn(who.exe)) return undefined;
  const f: Finding = {
    activity: 'api_build',
    tool: who?.exe ?? 'unknown',
    command: ev.process ?? who?.shown ?? '',
    reasons: {},
    hints: [],
  };
  f.reasons.api_build = `connection to Docker API port ${ev.dest_ip ?? '?'}:${ev.dest_port} by ${who?.shown ?? '(unknown executable)'}`;
  addParent(f, ev);
  return f;
}

/** alert_detail: seed texts for the seed's conditions, model texts for the new ones. */
export function alertDetail(f: Finding): string {
  const r = f.reasons;
  const has = (s: SignalName): boolean => r[s] !== undefined;
  if (has('external_file')) return ALERT_TEXT.external;
  if (has('api_build')) return MODEL_ALERT_TEXT.apiBuild;
  if (has('socket_mount')) return MODEL_ALERT_TEXT.socketMount;
  if (has('privileged_run')) return MODEL_ALERT_TEXT.privilegedRun;
  if (has('from_temp') && has('suspicious_parent')) return ALERT_TEXT.tempAndParent;
  if (has('stdin_dockerfile') && has('suspicious_parent')) return MODEL_ALERT_TEXT.stdinAndParent;
  if (has('from_temp')) return ALERT_TEXT.temp;
  if (has('stdin_dockerfile')) return MODEL_ALERT_TEXT.stdin;
  if (has('no_cache') && has('suspicious_parent')) return ALERT_TEXT.noCacheAndParent;
  return ALERT_TEXT.low;
}

/** Scores one normalised event. */
export function detect(ev: ModelEvent, options: DetectOptions = DEFAULT_OPTIONS): Detection {
  const kind = ev.event_kind;
  let f: Finding | undefined;
  if (ev.docker_api_path !== undefined || ev.docker_api_form !== undefined) f = fromDockerApi(ev);
  else if (kind === 'socket_connect' || (ev.socket_path !== undefined && kind === undefined))
    f = fromSocket(ev, options.weights);
  else if (kind === 'network') f = fromNetwork(ev);
  else if (kind === undefined || kind === 'process') f = fromProcess(ev, options.weights);
  if (f === undefined) return none(ev);

  const d = none(ev);
  d.t1612_activity = f.activity;
  d.is_docker_build = f.activity === 'run' ? 0 : 1;
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
  // a plain run (no socket/privilege) never alerts, whatever the threshold
  if (d.risk_score >= options.threshold && (f.activity !== 'run' || d.risk_score > 0)) d.alert_detail = alertDetail(f);
  return d;
}
