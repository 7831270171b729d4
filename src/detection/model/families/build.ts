/**
 * Image builds from the CLIs: `build` (docker/podman/nerdctl/finch/buildah/img/buildx), `buildx bake`,
 * compose (`build`, `up|run|create --build`), buildctl and kaniko. Option parsing is the catalogue-driven
 * walker; this file only says which option plays which role (Dockerfile, context, tag, no-cache).
 */
import type { Exec } from '../unwrap';
import { isGitRemote, isRemote, resolvePath } from '../paths';
import type { Finding } from '../types';
import {
  BAKE_OPTS,
  BUILD_OPTS,
  BUILDCTL_OPTS,
  COMPOSE_BUILD_FLAG,
  COMPOSE_BUILDS,
  COMPOSE_GLOBAL_OPTS,
  KANIKO_OPTS,
} from '../catalogue';
import { flagSet, optValue, walkOptions, Walked } from '../option-walker';
import { newFinding, set, tempSignal } from './common';

function remote(f: Finding, what: string, v: string): boolean {
  if (!isRemote(v)) return false;
  set(f, 'external_file', `remote ${what}: ${v}`);
  if (isGitRemote(v)) f.gitRemote = true;
  return true;
}

/** Shared by every Dockerfile build: Dockerfile, stdin, context, no-cache, tag. */
/** Dockerfile paths that are stdin. */
const STDIN_PATHS = new Set(['-', '/dev/stdin', '/proc/self/fd/0', '/dev/fd/0']);

function dockerfileSignals(
  f: Finding,
  exec: Exec,
  b: { dockerfile?: string; dockerfileShown?: string; context?: string; noCache?: string; tag?: string },
  contextLabel = 'context',
): void {
  const cwd = exec.cwd;
  const df = b.dockerfile !== undefined && STDIN_PATHS.has(b.dockerfile) ? '-' : b.dockerfile;
  const ctx = b.context;
  if (df !== undefined && df !== '-') remote(f, 'Dockerfile', df);
  if (ctx !== undefined && ctx !== '-') remote(f, contextLabel, ctx);
  const stdinNote = exec.stdinFile ? ' < ' + exec.stdinFile : '';
  if (df === '-') set(f, 'stdin_dockerfile', `Dockerfile from stdin: ${b.dockerfileShown ?? '-f -'}${stdinNote}`);
  else if (ctx === '-') set(f, 'stdin_dockerfile', `Dockerfile/context from stdin: -${stdinNote}`);
  if (df !== undefined && df !== '-' && !isRemote(df)) tempSignal(f, 'Dockerfile', df, cwd);
  if ((df === '-' || ctx === '-') && exec.stdinFile) tempSignal(f, 'Dockerfile (stdin)', exec.stdinFile, cwd);
  if (ctx !== undefined && ctx !== '-' && !isRemote(ctx)) tempSignal(f, contextLabel, ctx, cwd);
  if (b.noCache) set(f, 'no_cache', `no cache: ${b.noCache}`);
  if (b.tag) f.image = b.tag;
}

function noCacheOf(w: Walked): string | undefined {
  return flagSet(w, '--no-cache')?.shown ?? optValue(w, '--no-cache-filter')?.shown;
}

export function build(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('build', tool, argv, exec);
  const w = walkOptions(argv, j, BUILD_OPTS);
  const file = optValue(w, '-f');
  for (const o of w.opts) {
    if (o.name !== '--build-context' || o.value === undefined) continue;
    const eq = o.value.indexOf('=');
    const src = eq < 0 ? o.value : o.value.slice(eq + 1);
    if (!remote(f, 'build context', src) && !src.startsWith('docker-image://') && !src.startsWith('oci-layout://'))
      tempSignal(f, 'build context', src, exec.cwd);
  }
  dockerfileSignals(f, exec, {
    dockerfile: file?.value,
    dockerfileShown: file?.shown,
    context: w.positionals[w.positionals.length - 1],
    noCache: noCacheOf(w),
    tag: optValue(w, '-t')?.value,
  });
  return f;
}

export function bake(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('build', `${tool} bake`, argv, exec);
  const w = walkOptions(argv, j, BAKE_OPTS);
  for (const o of w.opts)
    if (o.name === '-f' && o.value !== undefined && !remote(f, 'bake file', o.value))
      tempSignal(f, 'bake file', o.value, exec.cwd);
  for (const p of w.positionals) remote(f, 'bake definition', p);
  if (optValue(w, '-f') === undefined && exec.cwd !== undefined) tempSignal(f, 'bake project', exec.cwd, undefined);
  const nc = flagSet(w, '--no-cache');
  if (nc) set(f, 'no_cache', `no cache: ${nc.shown}`);
  return f;
}

export function compose(argv: readonly string[], j: number, tool: string, exec: Exec): Finding | undefined {
  const g = walkOptions(argv, j, COMPOSE_GLOBAL_OPTS, true);
  const sub = argv[g.next];
  if (sub === undefined) return undefined;
  const rest = walkOptions(argv, g.next + 1, BUILD_OPTS);
  const viaFlag = COMPOSE_BUILD_FLAG.has(sub) && flagSet(rest, '--build') !== undefined;
  if (!COMPOSE_BUILDS.has(sub) && !viaFlag) return undefined;
  const f = newFinding('build', `${tool === 'docker-compose' ? 'docker-compose' : tool + ' compose'}`, argv, exec);
  const nc = flagSet(rest, '--no-cache');
  if (nc) set(f, 'no_cache', `no cache: ${nc.shown}`);
  const file = optValue(g, '-f')?.value;
  const projectDir = optValue(g, '--project-directory')?.value;
  if (file === '-') set(f, 'stdin_dockerfile', 'compose file from stdin: -f -');
  else if (file !== undefined && !remote(f, 'compose file', file)) tempSignal(f, 'compose file', file, exec.cwd);
  const dir = projectDir !== undefined ? resolvePath(projectDir, exec.cwd) : file === undefined ? exec.cwd : undefined;
  if (dir !== undefined) tempSignal(f, 'compose project', dir, undefined);
  return f;
}

export function buildctl(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('build', tool, argv, exec);
  const w = walkOptions(argv, j, BUILDCTL_OPTS);
  let context: string | undefined;
  let dockerDir: string | undefined;
  let filename: string | undefined;
  for (const o of w.opts) {
    const val = o.value;
    if (val === undefined) continue;
    const eq = val.indexOf('=');
    const k = eq < 0 ? val : val.slice(0, eq);
    const v = eq < 0 ? '' : val.slice(eq + 1);
    if (o.name === '--local' && k === 'context') context = v;
    else if (o.name === '--local' && k === 'dockerfile') dockerDir = v;
    else if (o.name === '--opt' && (k === 'context' || k.startsWith('context:'))) remote(f, 'context (--opt)', v);
    else if (o.name === '--opt' && k === 'filename') filename = v;
    else if (o.name === '--output') {
      const m = /(?:^|,)name=([^,]+)/.exec(val);
      if (m) f.image ??= m[1];
    }
  }
  const dockerfile =
    dockerDir !== undefined ? dockerDir.replace(/\/+$/, '') + '/' + (filename ?? 'Dockerfile') : undefined;
  dockerfileSignals(f, exec, {
    dockerfile,
    dockerfileShown: dockerfile && `--local dockerfile=${dockerfile}`,
    context,
    noCache: flagSet(w, '--no-cache')?.shown,
  });
  return f;
}

export function kaniko(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('build', tool, argv, exec);
  const w = walkOptions(argv, j, KANIKO_OPTS);
  const ctxRaw = optValue(w, '-c')?.value;
  const context = ctxRaw?.replace(/^(?:dir|tar):\/\//, '');
  const dockerfile = optValue(w, '-f')?.value;
  // kaniko resolves a relative Dockerfile against the context
  const local = context !== undefined && !isRemote(context) ? context : undefined;
  const cwd =
    local !== undefined && dockerfile !== undefined && !dockerfile.startsWith('/')
      ? (resolvePath(local, exec.cwd) ?? exec.cwd)
      : exec.cwd;
  dockerfileSignals(f, { ...exec, cwd }, { dockerfile, dockerfileShown: dockerfile && `--dockerfile ${dockerfile}` });
  if (context !== undefined) {
    if (!remote(f, 'context', context)) tempSignal(f, 'context', context, exec.cwd);
  }
  const dest = optValue(w, '-d')?.value;
  if (dest) f.image = dest;
  return f;
}

/** kaniko's `executor` name is generic: it counts under /kaniko/ or with kaniko's own options. */
export function looksKaniko(argv: readonly string[]): boolean {
  if (argv[0].indexOf('kaniko') >= 0) return true;
  for (let i = 1; i < argv.length && i < 64; i++)
    if (argv[i].startsWith('--dockerfile') || argv[i].startsWith('--context')) return true;
  return false;
}
