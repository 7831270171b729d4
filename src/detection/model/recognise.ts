// size: eight tool families and their URL/query/JSON parsing in one file until the catalogue split lands
/**
 * Recognition of one simple command (argv, after unwrapping): image builds by docker/podman/buildah/
 * nerdctl/buildctl/kaniko/docker-buildx/compose, escape-ready container runs, and builds sent to the
 * Docker API by curl/wget/socat/nc. Produces a Finding: the activity and one reason per signal fired.
 */
import { Exec } from './unwrap';
import { exeName, isDockerSocket, isRemote, resolvePath, tempRoot } from './paths';
import { Finding, SignalName } from './types';

// ---- shared ---------------------------------------------------------------------------------------

function newFinding(activity: Finding['activity'], tool: string, argv: readonly string[], exec: Exec): Finding {
  return { activity, tool, command: argv.join(' '), launcher: exec.launcher, reasons: {}, hints: [] };
}

function set(f: Finding, s: SignalName, reason: string): void {
  if (f.reasons[s] === undefined) f.reasons[s] = reason;
}

/** Splits `--name=value`; undefined value when there is no `=`. */
function splitLong(t: string): [string, string | undefined] {
  const eq = t.indexOf('=');
  return eq < 0 ? [t, undefined] : [t.slice(0, eq), t.slice(eq + 1)];
}

function truthy(v: string | undefined): boolean {
  return v === undefined || v === '' || /^(?:1|true|yes)$/i.test(v);
}

// ---- global options of the CLIs (before the subcommand) ------------------------------------------

const GLOBAL_LONG_VAL = new Set([
  '--host',
  '--context',
  '--config',
  '--log-level',
  '--tlscacert',
  '--tlscert',
  '--tlskey', // docker
  '--url',
  '--connection',
  '--identity',
  '--root',
  '--runroot',
  '--storage-driver',
  '--storage-opt',
  '--cgroup-manager',
  '--events-backend',
  '--runtime',
  '--runtime-flag',
  '--tmpdir',
  '--conmon',
  '--module',
  '--network-cmd-path',
  '--imagestore',
  '--volumepath',
  '--ssh',
  '--registries-conf',
  '--registries-conf-dir',
  '--userns-uid-map',
  '--userns-gid-map', // podman/buildah
  '--namespace',
  '--address',
  '--snapshotter',
  '--data-root',
  '--cni-path',
  '--cni-netconfpath',
  '--hosts-dir',
  '--host-gateway-ip', // nerdctl
  '--addr',
  '--tlsservername',
  '--tlsdir',
  '--timeout',
  '--log-format', // buildctl
  '--builder', // buildx
]);
const GLOBAL_SHORT_VAL = 'Hclna';

function skipGlobals(
  argv: readonly string[],
  j: number,
  shortVal = GLOBAL_SHORT_VAL,
  longVal: ReadonlySet<string> = GLOBAL_LONG_VAL,
): number {
  while (j < argv.length) {
    const t = argv[j];
    if (t === '--') return j + 1;
    if (t.startsWith('--')) {
      const [name, val] = splitLong(t);
      j += longVal.has(name) && val === undefined ? 2 : 1;
      continue;
    }
    if (t.length > 1 && t[0] === '-') {
      // -H x, -Hx, -D, -Dl debug … : a value letter consumes the rest or the next word
      let consumed = 1;
      for (let k = 1; k < t.length; k++) {
        if (shortVal.indexOf(t[k]) >= 0) {
          if (k === t.length - 1) consumed = 2;
          break;
        }
      }
      j += consumed;
      continue;
    }
    return j;
  }
  return j;
}

// ---- build options ---------------------------------------------------------------------------------

const BUILD_LONG_VAL = new Set([
  '--tag',
  '--file',
  '--build-arg',
  '--build-arg-file',
  '--label',
  '--target',
  '--network',
  '--platform',
  '--progress',
  '--secret',
  '--ssh',
  '--cache-from',
  '--cache-to',
  '--iidfile',
  '--output',
  '--add-host',
  '--cgroup-parent',
  '--cpu-period',
  '--cpu-quota',
  '--cpu-shares',
  '--cpuset-cpus',
  '--cpuset-mems',
  '--memory',
  '--memory-swap',
  '--shm-size',
  '--ulimit',
  '--isolation',
  '--security-opt',
  '--build-context',
  '--metadata-file',
  '--attest',
  '--annotation',
  '--allow',
  '--builder',
  '--call',
  '--no-cache-filter',
  '--authfile',
  '--arch',
  '--os',
  '--variant',
  '--creds',
  '--cert-dir',
  '--decryption-key',
  '--dns',
  '--dns-option',
  '--dns-search',
  '--format',
  '--from',
  '--ignorefile',
  '--jobs',
  '--logfile',
  '--manifest',
  '--runtime',
  '--runtime-flag',
  '--sign-by',
  '--signature-policy',
  '--timestamp',
  '--userns',
  '--userns-uid-map',
  '--userns-gid-map',
  '--userns-uid-map-user',
  '--userns-gid-map-group',
  '--uts',
  '--ipc',
  '--pid',
  '--volume',
  '--env',
  '--unsetenv',
  '--unsetlabel',
  '--retry',
  '--retry-delay',
  '--layer-label',
  '--hooks-dir',
  '--cache-ttl',
  '--device',
  '--group-add',
  '--cw',
  '--cpp-flag',
  '--os-feature',
  '--os-version',
  '--platforms',
  '--source-date-epoch',
  '--rewrite-timestamp',
  '--iidfile-raw',
  '--policy',
]);
const BUILD_SHORT_VAL = 'tfomcv';

interface BuildArgs {
  context?: string;
  dockerfile?: string;
  /** The option as typed for the Dockerfile (`-f-`, `--file=-`, `-f /tmp/x`). */
  dockerfileOpt?: string;
  noCache?: string;
  tags: string[];
}

function parseBuild(argv: readonly string[], j: number): BuildArgs {
  const b: BuildArgs = { tags: [] };
  const positionals: string[] = [];
  for (; j < argv.length; j++) {
    const t = argv[j];
    if (t === '--') {
      positionals.push(...argv.slice(j + 1));
      break;
    }
    if (t.startsWith('--')) {
      const [name, v0] = splitLong(t);
      let val = v0;
      if (name === '--no-cache') {
        if (truthy(val)) b.noCache = t;
        continue;
      }
      if (BUILD_LONG_VAL.has(name) && val === undefined) {
        val = argv[j + 1];
        j++;
        if (val === undefined) break;
      }
      if (name === '--file') {
        b.dockerfile = val;
        b.dockerfileOpt = t.indexOf('=') >= 0 ? t : `${t} ${val}`;
      } else if (name === '--tag' && val !== undefined) b.tags.push(val);
      else if (name === '--no-cache-filter') b.noCache = `${name} ${val ?? ''}`.trim();
      continue;
    }
    if (t.length > 1 && t[0] === '-') {
      for (let k = 1; k < t.length; k++) {
        const ch = t[k];
        if (BUILD_SHORT_VAL.indexOf(ch) < 0) continue;
        let val = t.slice(k + 1);
        let opt = t;
        if (val.startsWith('=')) val = val.slice(1);
        if (val === '') {
          val = argv[j + 1] ?? '';
          opt = `${t} ${val}`;
          j++;
        }
        if (ch === 'f') {
          b.dockerfile = val;
          b.dockerfileOpt = opt;
        } else if (ch === 't') b.tags.push(val);
        break;
      }
      continue;
    }
    positionals.push(t);
  }
  if (positionals.length > 0) b.context = positionals[positionals.length - 1];
  return b;
}

function relNote(arg: string, resolved: string, cwd: string | undefined): string {
  return arg === resolved || arg.startsWith('/') || cwd === undefined ? '' : ` ("${arg}" in cwd ${cwd})`;
}

/** Signals of a build whose context / Dockerfile are known. */
function buildSignals(f: Finding, b: BuildArgs, exec: Exec, contextLabel = 'context'): void {
  const cwd = exec.cwd;
  const df = b.dockerfile;
  const ctx = b.context;
  if (df !== undefined && df !== '-' && isRemote(df)) set(f, 'external_file', `remote Dockerfile: ${df}`);
  if (ctx !== undefined && ctx !== '-' && isRemote(ctx)) set(f, 'external_file', `remote ${contextLabel}: ${ctx}`);
  const stdin = df === '-' || ctx === '-';
  if (df === '-')
    set(
      f,
      'stdin_dockerfile',
      `Dockerfile from stdin: ${b.dockerfileOpt ?? '-f -'}${exec.stdinFile ? ' < ' + exec.stdinFile : ''}`,
    );
  else if (ctx === '-')
    set(f, 'stdin_dockerfile', `Dockerfile/context from stdin: -${exec.stdinFile ? ' < ' + exec.stdinFile : ''}`);
  // from_temp: the Dockerfile, the file piped to stdin, then the context — first one in a temp folder
  if (df !== undefined && df !== '-' && !isRemote(df)) {
    const p = resolvePath(df, cwd);
    const root = p === undefined ? undefined : tempRoot(p);
    if (p !== undefined && root) set(f, 'from_temp', `Dockerfile in ${root}: ${p}${relNote(df, p, cwd)}`);
  }
  if (stdin && exec.stdinFile) {
    const p = resolvePath(exec.stdinFile, cwd);
    const root = p === undefined ? undefined : tempRoot(p);
    if (p !== undefined && root) set(f, 'from_temp', `Dockerfile (stdin) in ${root}: ${p}`);
  }
  if (ctx !== undefined && ctx !== '-' && !isRemote(ctx)) {
    const p = resolvePath(ctx, cwd);
    const root = p === undefined ? undefined : tempRoot(p);
    if (p !== undefined && root) set(f, 'from_temp', `${contextLabel} in ${root}: ${p}${relNote(ctx, p, cwd)}`);
  }
  if (b.noCache) set(f, 'no_cache', `no cache: ${b.noCache}`);
  if (b.tags.length > 0) f.image = b.tags[0];
}

function dockerBuild(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('build', tool, argv, exec);
  buildSignals(f, parseBuild(argv, j), exec);
  return f;
}

// ---- compose ---------------------------------------------------------------------------------------

const COMPOSE_LONG_VAL = new Set([
  '--file',
  '--project-name',
  '--project-directory',
  '--profile',
  '--env-file',
  '--ansi',
  '--progress',
  '--parallel',
]);

function composeBuild(argv: readonly string[], j: number, tool: string, exec: Exec): Finding | undefined {
  let file: string | undefined;
  let projectDir: string | undefined;
  for (; j < argv.length; j++) {
    const t = argv[j];
    if (!t.startsWith('-')) break;
    let [name, val] = t.startsWith('--') ? splitLong(t) : [t.slice(0, 2), t.length > 2 ? t.slice(2) : undefined];
    if (name === '-f') name = '--file';
    if (name === '-p') name = '--project-name';
    if (COMPOSE_LONG_VAL.has(name) && val === undefined) {
      val = argv[j + 1];
      j++;
    }
    if (name === '--file' && file === undefined) file = val;
    if (name === '--project-directory') projectDir = val;
  }
  if (argv[j] !== 'build') return undefined;
  const f = newFinding('build', tool + ' compose', argv, exec);
  const rest = argv.slice(j + 1);
  const noCache = rest.find((a) => a === '--no-cache' || a.startsWith('--no-cache='));
  if (noCache && truthy(splitLong(noCache)[1])) set(f, 'no_cache', `no cache: ${noCache}`);
  if (file === '-') set(f, 'stdin_dockerfile', 'compose file from stdin: -f -');
  else if (file !== undefined && isRemote(file)) set(f, 'external_file', `remote compose file: ${file}`);
  else if (file !== undefined) {
    const p = resolvePath(file, exec.cwd);
    const root = p === undefined ? undefined : tempRoot(p);
    if (p !== undefined && root) set(f, 'from_temp', `compose file in ${root}: ${p}`);
  }
  const dir = projectDir !== undefined ? resolvePath(projectDir, exec.cwd) : file === undefined ? exec.cwd : undefined;
  if (dir !== undefined) {
    const root = tempRoot(dir);
    if (root) set(f, 'from_temp', `compose project in ${root}: ${dir}`);
  }
  return f;
}

// ---- buildctl and kaniko ---------------------------------------------------------------------------

const BUILDCTL_LONG_VAL = new Set([
  '--frontend',
  '--local',
  '--opt',
  '--output',
  '--export-cache',
  '--import-cache',
  '--secret',
  '--ssh',
  '--progress',
  '--trace',
  '--metadata-file',
  '--allow',
  '--registry-auth-tlscontext',
  '--source-policy-file',
  '--ref-file',
]);

function buildctlBuild(argv: readonly string[], j: number, exec: Exec): Finding {
  const f = newFinding('build', 'buildctl', argv, exec);
  const b: BuildArgs = { tags: [] };
  let filename: string | undefined;
  for (; j < argv.length; j++) {
    const t = argv[j];
    let [name, val] = splitLong(t);
    if (name === '-o') name = '--output';
    if (name === '--no-cache') {
      b.noCache = t;
      continue;
    }
    if (BUILDCTL_LONG_VAL.has(name) && val === undefined) {
      val = argv[j + 1];
      j++;
    }
    if (val === undefined) continue;
    const eq = val.indexOf('=');
    const k = eq < 0 ? val : val.slice(0, eq);
    const v = eq < 0 ? '' : val.slice(eq + 1);
    if (name === '--local' && k === 'context') b.context = v;
    else if (name === '--local' && k === 'dockerfile') b.dockerfile = v;
    else if (name === '--opt' && (k === 'context' || k.startsWith('context:')) && isRemote(v))
      set(f, 'external_file', `remote context: --opt ${val}`);
    else if (name === '--opt' && k === 'filename') filename = v;
    else if (name === '--output' && /(?:^|,)name=([^,]+)/.test(val)) f.image ??= /(?:^|,)name=([^,]+)/.exec(val)?.[1];
  }
  // --local dockerfile=<dir>: the Dockerfile is <dir>/<filename>
  if (b.dockerfile !== undefined) {
    b.dockerfile = b.dockerfile.replace(/\/+$/, '') + '/' + (filename ?? 'Dockerfile');
    b.dockerfileOpt = `--local dockerfile=${b.dockerfile}`;
  }
  buildSignals(f, b, exec);
  return f;
}

function kanikoBuild(argv: readonly string[], exec: Exec): Finding {
  const f = newFinding('build', 'kaniko', argv, exec);
  const b: BuildArgs = { tags: [] };
  for (let j = 1; j < argv.length; j++) {
    const t = argv[j];
    let [name, val] = splitLong(t);
    if (name === '-c') name = '--context';
    if (name === '-f') name = '--dockerfile';
    if (name === '-d') name = '--destination';
    const known =
      name === '--context' || name === '--dockerfile' || name === '--destination' || name === '--context-sub-path';
    if (known && val === undefined) {
      val = argv[j + 1];
      j++;
    }
    if (val === undefined) continue;
    if (name === '--context') b.context = val.replace(/^(?:dir|tar):\/\//, '');
    else if (name === '--dockerfile') b.dockerfile = val;
    else if (name === '--destination') b.tags.push(val);
  }
  if (b.dockerfile !== undefined) b.dockerfileOpt = `--dockerfile ${b.dockerfile}`;
  // kaniko resolves a relative Dockerfile against the context
  const local = b.context !== undefined && !isRemote(b.context) ? b.context : undefined;
  buildSignals(f, b, {
    ...exec,
    cwd:
      local !== undefined && b.dockerfile !== undefined && !b.dockerfile.startsWith('/')
        ? (resolvePath(local, exec.cwd) ?? exec.cwd)
        : exec.cwd,
  });
  return f;
}

// ---- container runs --------------------------------------------------------------------------------

const RUN_LONG_VAL = new Set([
  '--volume',
  '--mount',
  '--env',
  '--env-file',
  '--publish',
  '--name',
  '--network',
  '--net',
  '--user',
  '--workdir',
  '--entrypoint',
  '--label',
  '--label-file',
  '--pid',
  '--ipc',
  '--uts',
  '--userns',
  '--cgroupns',
  '--cap-add',
  '--cap-drop',
  '--security-opt',
  '--device',
  '--add-host',
  '--dns',
  '--dns-option',
  '--dns-search',
  '--hostname',
  '--restart',
  '--log-driver',
  '--log-opt',
  '--memory',
  '--cpus',
  '--gpus',
  '--platform',
  '--pull',
  '--runtime',
  '--stop-signal',
  '--stop-timeout',
  '--tmpfs',
  '--ulimit',
  '--volumes-from',
  '--link',
  '--expose',
  '--health-cmd',
  '--health-interval',
  '--health-retries',
  '--health-timeout',
  '--health-start-period',
  '--health-start-interval',
  '--isolation',
  '--mac-address',
  '--ip',
  '--ip6',
  '--cidfile',
  '--cgroup-parent',
  '--cpu-period',
  '--cpu-quota',
  '--cpu-rt-period',
  '--cpu-rt-runtime',
  '--cpu-shares',
  '--cpuset-cpus',
  '--cpuset-mems',
  '--memory-reservation',
  '--memory-swap',
  '--memory-swappiness',
  '--kernel-memory',
  '--shm-size',
  '--storage-opt',
  '--sysctl',
  '--attach',
  '--detach-keys',
  '--domainname',
  '--group-add',
  '--network-alias',
  '--oom-score-adj',
  '--pids-limit',
  '--blkio-weight',
  '--blkio-weight-device',
  '--device-read-bps',
  '--device-write-bps',
  '--device-read-iops',
  '--device-write-iops',
  '--device-cgroup-rule',
  '--annotation',
  '--pod',
  '--secret',
  '--systemd',
  '--arch',
  '--os',
  '--authfile',
  '--chrootdirs',
  '--conmon-pidfile',
  '--image-volume',
  '--requires',
  '--timezone',
  '--passwd-entry',
  '--umask',
  '--uidmap',
  '--gidmap',
  '--subuidname',
  '--subgidname',
  '--variant',
  '--link-local-ip',
  '--runtime-flag',
  '--sdnotify',
  '--seccomp-policy',
  '--preserve-fd',
  '--hostuser',
  '--group-entry',
  '--init-path',
  '--log-level',
  '--name-prefix',
  '--pidfile',
  '--rdt-class',
  '--decryption-key',
  '--personality',
]);
const RUN_SHORT_VAL = 'veupwlhmac';
const RUN_DIRS = new Set(['/var/run', '/run', '/var/run/', '/run/']);

/** Host side of `-v src:dst[:opts]` (Windows drive letters kept), or undefined for anonymous volumes. */
function volumeSource(v: string): string | undefined {
  if (/^[A-Za-z]:[\\/]/.test(v)) {
    const c = v.indexOf(':', 2);
    return c < 0 ? undefined : v.slice(0, c);
  }
  if (v.startsWith('//./pipe/') || v.startsWith('\\\\.\\pipe\\')) {
    const c = v.indexOf(':');
    return c < 0 ? v : v.slice(0, c);
  }
  const c = v.indexOf(':');
  return c < 0 ? undefined : v.slice(0, c);
}

function mountSource(v: string): string | undefined {
  for (const part of v.split(',')) {
    const eq = part.indexOf('=');
    const k = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (k === 'source' || k === 'src') return part.slice(eq + 1).trim();
  }
  return undefined;
}

function checkHostPath(f: Finding, src: string, shown: string): void {
  if (isDockerSocket(src)) set(f, 'socket_mount', `docker.sock mounted: ${shown}`);
  else if (RUN_DIRS.has(src))
    set(f, 'socket_mount', `host ${src.replace(/\/$/, '')} mounted (holds docker.sock): ${shown}`);
  else if (src === '/') set(f, 'privileged_run', `host root mounted: ${shown}`);
}

function containerRun(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('run', tool, argv, exec);
  for (; j < argv.length; j++) {
    const t = argv[j];
    if (t === '--') {
      j++;
      break;
    }
    if (t.startsWith('--')) {
      const [name, v0] = splitLong(t);
      let val = v0;
      if (name === '--privileged') {
        if (truthy(val)) set(f, 'privileged_run', `privileged: ${t}`);
        continue;
      }
      if (RUN_LONG_VAL.has(name) && val === undefined) {
        val = argv[j + 1];
        j++;
      }
      if (val === undefined) continue;
      const shown = t.indexOf('=') >= 0 ? t : `${name} ${val}`;
      if (name === '--volume') {
        const src = volumeSource(val);
        if (src !== undefined) checkHostPath(f, src, shown);
      } else if (name === '--mount') {
        const src = mountSource(val);
        if (src !== undefined) checkHostPath(f, src, shown);
      } else if (name === '--pid' && val === 'host') set(f, 'privileged_run', `host PID namespace: ${shown}`);
      continue;
    }
    if (t.length > 1 && t[0] === '-') {
      for (let k = 1; k < t.length; k++) {
        const ch = t[k];
        if (RUN_SHORT_VAL.indexOf(ch) < 0) continue;
        let val = t.slice(k + 1);
        if (val.startsWith('=')) val = val.slice(1);
        let shown = t;
        if (val === '') {
          val = argv[j + 1] ?? '';
          shown = `${t} ${val}`;
          j++;
        }
        if (ch === 'v') {
          const src = volumeSource(val);
          if (src !== undefined) checkHostPath(f, src, shown);
        }
        break;
      }
      continue;
    }
    break; // the image; what follows is the container's command
  }
  if (j < argv.length) f.image = argv[j];
  return f;
}

// ---- docker-like CLIs ------------------------------------------------------------------------------

const DOCKER_LIKE = new Set(['docker', 'com.docker.cli', 'nerdctl', 'podman', 'podman-remote', 'finch']);

function dockerLike(argv: readonly string[], tool: string, exec: Exec): Finding | undefined {
  let j = skipGlobals(argv, 1);
  const sub = argv[j];
  switch (sub) {
    case 'build':
      return dockerBuild(argv, j + 1, tool, exec);
    case 'image':
    case 'builder':
      return argv[j + 1] === 'build' ? dockerBuild(argv, j + 2, tool, exec) : undefined;
    case 'buildx': {
      j = skipGlobals(argv, j + 1);
      const s = argv[j];
      return s === 'build' || s === 'b' ? dockerBuild(argv, j + 1, tool + ' buildx', exec) : undefined;
    }
    case 'compose':
      return composeBuild(argv, j + 1, tool, exec);
    case 'run':
    case 'create':
      return containerRun(argv, j + 1, tool, exec);
    case 'container':
      return argv[j + 1] === 'run' || argv[j + 1] === 'create' ? containerRun(argv, j + 2, tool, exec) : undefined;
    default:
      return undefined;
  }
}

// ---- Docker API clients ----------------------------------------------------------------------------

export const API_BUILD_PATH = /^(?:\/v\d+(?:\.\d+)?)?\/build\/?$/;
export const API_CREATE_PATH = /^(?:\/v\d+(?:\.\d+)?)?\/containers\/create\/?$/;
const VERSIONED = /^\/v\d+\.\d+\//;
const DOCKER_PORT = /^237[56]$/;

interface ParsedUrl {
  host: string;
  port: string;
  path: string;
  query: string;
}

function parseUrl(u: string): ParsedUrl | undefined {
  const m = /^(?:([a-z][\w+.-]*):)?(\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?/i.exec(u);
  if (!m) return undefined;
  let hostPort = m[3] ?? '';
  let path = m[4] ?? '';
  if (m[1] === undefined && m[2] === undefined) {
    // `localhost:2375/build` (curl adds http://)
    const s = path.indexOf('/');
    hostPort = s < 0 ? path : path.slice(0, s);
    path = s < 0 ? '' : path.slice(s);
  }
  const at = hostPort.lastIndexOf('@');
  if (at >= 0) hostPort = hostPort.slice(at + 1);
  const pm = /:(\d+)$/.exec(hostPort);
  return {
    host: pm ? hostPort.slice(0, pm.index) : hostPort,
    port: pm ? pm[1] : '',
    path: path.startsWith('/') ? path : '/' + path,
    query: m[5] ?? '',
  };
}

/** Query parameters of a Docker API call (first value wins), decoded. */
export function queryParams(q: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!q) return out;
  for (const part of q.split('&')) {
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

/** Signals an API build request's query carries (nocache, remote, dockerfile hint, tag). */
export function apiQuerySignals(f: Finding, query: string): void {
  const q = queryParams(query);
  const nocache = q.get('nocache');
  if (nocache !== undefined && /^(?:1|true)$/i.test(nocache)) set(f, 'no_cache', `no cache: nocache=${nocache}`);
  const remote = q.get('remote');
  if (remote !== undefined && remote !== '' && remote !== 'client-session')
    set(f, 'external_file', `remote context (API remote=): ${remote}`);
  const df = q.get('dockerfile');
  if (df !== undefined && df.startsWith('.dockerfile.'))
    f.hints.push(`Dockerfile sent apart from the context (stdin or -f outside it): dockerfile=${df}`);
  else if (df !== undefined && isRemote(df)) set(f, 'external_file', `remote Dockerfile (API dockerfile=): ${df}`);
  const t = q.get('t');
  if (t) f.image = t;
}

const CURL_LONG_VAL = new Set([
  '--unix-socket',
  '--abstract-unix-socket',
  '--request',
  '--header',
  '--data',
  '--data-binary',
  '--data-raw',
  '--data-urlencode',
  '--data-ascii',
  '--json',
  '--upload-file',
  '--output',
  '--user',
  '--form',
  '--form-string',
  '--url',
  '--user-agent',
  '--referer',
  '--cookie',
  '--cookie-jar',
  '--config',
  '--max-time',
  '--connect-timeout',
  '--write-out',
  '--cacert',
  '--cert',
  '--key',
  '--proxy',
  '--resolve',
  '--connect-to',
  '--range',
  '--retry',
  '--interface',
  '--local-port',
  '--limit-rate',
  '--max-filesize',
  '--capath',
  '--ciphers',
  '--dump-header',
  '--trace',
  '--trace-ascii',
  '--stderr',
  '--expect100-timeout',
  '--variable',
  '--oauth2-bearer',
]);
const CURL_SHORT_VAL = 'XHdTouFAebcKmwxrEYyzC';
const WGET_LONG_VAL = new Set([
  '--post-file',
  '--body-file',
  '--post-data',
  '--body-data',
  '--method',
  '--header',
  '--output-document',
  '--user',
  '--password',
]);

function apiClient(argv: readonly string[], tool: string, exec: Exec): Finding | undefined {
  let socket: string | undefined;
  const urls: string[] = [];
  let bodyFile: string | undefined;
  let data: string | undefined;
  const longVal = tool === 'wget' ? WGET_LONG_VAL : CURL_LONG_VAL;
  const shortVal = tool === 'wget' ? 'OoaPeiUT' : CURL_SHORT_VAL;
  for (let j = 1; j < argv.length; j++) {
    const t = argv[j];
    let name: string;
    let val: string | undefined;
    if (t.startsWith('--')) {
      [name, val] = splitLong(t);
      if (longVal.has(name) && val === undefined) {
        val = argv[j + 1];
        j++;
      }
    } else if (t.length > 1 && t[0] === '-') {
      name = '';
      for (let k = 1; k < t.length; k++) {
        if (shortVal.indexOf(t[k]) < 0) continue;
        name = '-' + t[k];
        val = t.slice(k + 1);
        if (val === '') {
          val = argv[j + 1];
          j++;
        }
        break;
      }
    } else {
      urls.push(t);
      continue;
    }
    if (val === undefined) continue;
    if (name === '--unix-socket' || name === '--abstract-unix-socket') socket = val;
    else if (name === '--url') urls.push(val);
    else if (name === '-T' || name === '--upload-file' || name === '--post-file' || name === '--body-file')
      bodyFile = val;
    else if (
      name === '-d' ||
      name.startsWith('--data') ||
      name === '--json' ||
      name === '--post-data' ||
      name === '--body-data'
    ) {
      if (val.startsWith('@')) bodyFile = val.slice(1);
      else data = val;
    }
  }
  const viaSock = socket !== undefined && isDockerSocket(socket);
  for (const u of urls) {
    const p = parseUrl(u);
    if (!p) continue;
    const api = viaSock || DOCKER_PORT.test(p.port) || VERSIONED.test(p.path);
    if (!api) continue;
    const via = viaSock ? `via ${socket}` : `to ${p.host}${p.port ? ':' + p.port : ''}`;
    if (API_BUILD_PATH.test(p.path)) {
      const f = newFinding('api_build', tool, argv, exec);
      set(f, 'api_build', `Docker API build request ${via}: ${p.path}${p.query ? '?' + p.query : ''}`);
      apiQuerySignals(f, p.query);
      if (bodyFile !== undefined && bodyFile !== '-') {
        const bp = resolvePath(bodyFile, exec.cwd);
        const root = bp === undefined ? undefined : tempRoot(bp);
        if (bp !== undefined && root) set(f, 'from_temp', `context tar in ${root}: ${bp}`);
      } else if (bodyFile === '-') set(f, 'stdin_dockerfile', `build context/Dockerfile from stdin: ${tool} -T -`);
      return f;
    }
    if (API_CREATE_PATH.test(p.path) && data !== undefined) {
      const f = newFinding('run', tool, argv, exec);
      formSignals(f, data, `API containers/create ${via}`);
      if (f.reasons.socket_mount !== undefined || f.reasons.privileged_run !== undefined) return f;
    }
  }
  return undefined;
}

const SOCAT_UNIX = /^(?:unix(?:-connect|-client|-sendto)?|gopen|open):([^,]+)/i;
const SOCAT_TCP = /^tcp[46]?(?:-connect)?:([^:,]+):(237[56])(?:,|$)/i;
export const NETCAT = new Set(['nc', 'ncat', 'netcat', 'nc.openbsd', 'nc.traditional']);

function rawSocketClient(argv: readonly string[], tool: string, exec: Exec): Finding | undefined {
  let target: string | undefined;
  if (tool === 'socat') {
    for (let j = 1; j < argv.length && target === undefined; j++) {
      const a = argv[j];
      const u = SOCAT_UNIX.exec(a);
      if (u && isDockerSocket(u[1])) target = a;
      else if (SOCAT_TCP.test(a)) target = a;
    }
  } else {
    const unix = argv.some((a) => /^-[a-zA-Z]*U[a-zA-Z]*$/.test(a) || a === '--unixsock');
    const pos = argv.slice(1).filter((a) => !a.startsWith('-'));
    for (const a of pos) {
      if ((unix || a.startsWith('/')) && isDockerSocket(a)) target = a;
      else if (DOCKER_PORT.test(a) && pos.length >= 2) target = pos.join(' ');
      if (target !== undefined) break;
    }
  }
  if (target === undefined) return undefined;
  const f = newFinding('api_build', tool, argv, exec);
  set(f, 'api_build', `raw Docker API client (request not logged): ${tool} ${target}`);
  return f;
}

// ---- containers/create form (dockerd debug log, curl -d) -------------------------------------------

const FORM_HINT = /docker\.sock|docker_engine|"Privileged"\s*:\s*true|"\/:|"PidMode"\s*:\s*"host"|"Source"\s*:\s*"\/"/;

/** Escape-ready settings in a containers/create JSON body: socket/host-root binds, Privileged, PidMode=host. */
export function formSignals(f: Finding, form: string, where: string): void {
  if (!FORM_HINT.test(form)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(form);
  } catch {
    parsed = undefined;
  }
  if (parsed !== null && typeof parsed === 'object') {
    const o = parsed as Record<string, unknown>;
    const hc = (typeof o.HostConfig === 'object' && o.HostConfig !== null ? o.HostConfig : o) as Record<
      string,
      unknown
    >;
    const binds = Array.isArray(hc.Binds) ? hc.Binds : [];
    for (const b of binds) {
      if (typeof b !== 'string') continue;
      const src = volumeSource(b) ?? b;
      checkHostPath(f, src, `${where} Binds ${b}`);
    }
    const mounts = Array.isArray(hc.Mounts) ? hc.Mounts : [];
    for (const m of mounts) {
      if (m === null || typeof m !== 'object') continue;
      const src = (m as Record<string, unknown>).Source;
      if (typeof src === 'string') checkHostPath(f, src, `${where} Mounts Source ${src}`);
    }
    if (hc.Privileged === true) set(f, 'privileged_run', `privileged: ${where} Privileged=true`);
    if (hc.PidMode === 'host') set(f, 'privileged_run', `host PID namespace: ${where} PidMode=host`);
    if (typeof o.Image === 'string' && o.Image) f.image = o.Image;
    return;
  }
  // truncated or escaped JSON: the same facts by pattern
  const sock = /"Binds"\s*:\s*\[[^\]]*?"([^"]*docker\.sock[^"]*)"/.exec(form);
  if (sock) set(f, 'socket_mount', `docker.sock mounted: ${where} Binds ${sock[1]}`);
  const root = /"Binds"\s*:\s*\[[^\]]*?"(\/:[^"]*)"/.exec(form);
  if (root) set(f, 'privileged_run', `host root mounted: ${where} Binds ${root[1]}`);
  if (/"Privileged"\s*:\s*true/.test(form)) set(f, 'privileged_run', `privileged: ${where} Privileged=true`);
  if (/"PidMode"\s*:\s*"host"/.test(form)) set(f, 'privileged_run', `host PID namespace: ${where} PidMode=host`);
}

// ---- entry -----------------------------------------------------------------------------------------

/** Recognises one unwrapped command; undefined when it is neither a build, an escape-ready run nor an API build. */
export function recognise(exec: Exec): Finding | undefined {
  const argv = exec.argv;
  if (argv.length === 0) return undefined;
  const argv0 = argv[0];
  const name = exeName(argv0);
  if (DOCKER_LIKE.has(name)) return dockerLike(argv, name, exec);
  switch (name) {
    case 'docker-buildx': {
      let j = 1;
      if (argv[j] === 'buildx') j++;
      j = skipGlobals(argv, j);
      return argv[j] === 'build' || argv[j] === 'b' ? dockerBuild(argv, j + 1, 'docker buildx', exec) : undefined;
    }
    case 'docker-compose':
      return composeBuild(argv, 1, 'docker-compose', exec);
    case 'buildah': {
      const j = skipGlobals(argv, 1);
      return argv[j] === 'bud' || argv[j] === 'build' ? dockerBuild(argv, j + 1, 'buildah', exec) : undefined;
    }
    case 'buildctl':
    case 'buildctl-daemonless.sh': {
      const j = skipGlobals(argv, 1);
      return argv[j] === 'build' ? buildctlBuild(argv, j + 1, exec) : undefined;
    }
    case 'kaniko':
    case 'kaniko-executor':
      return kanikoBuild(argv, exec);
    case 'executor':
      if (argv0.indexOf('kaniko') >= 0 || argv.some((a) => a.startsWith('--dockerfile') || a.startsWith('--context')))
        return kanikoBuild(argv, exec);
      return undefined;
    case 'curl':
    case 'wget':
      return apiClient(argv, name, exec);
    case 'socat':
      return rawSocketClient(argv, name, exec);
    default:
      return NETCAT.has(name) ? rawSocketClient(argv, name, exec) : undefined;
  }
}
