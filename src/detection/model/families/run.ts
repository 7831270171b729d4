/** Escape-ready container runs: the Docker socket or host root mounted, --privileged, --pid=host (CLI and API body). */
import type { Exec } from '../unwrap';
import { isDockerSocket } from '../paths';
import type { Finding } from '../types';
import { RUN_OPTS } from '../catalogue';
import { walkOptions } from '../option-walker';
import { readCreateBody } from '../http';
import { newFinding, set } from './common';

const RUN_DIRS = new Set(['/var/run', '/run', '/var/run/', '/run/']);

/** Host side of `-v src:dst[:opts]` (Windows drive letters kept), or undefined for anonymous volumes. */
export function volumeSource(v: string): string | undefined {
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

export function run(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('run', tool, argv, exec);
  const w = walkOptions(argv, j, RUN_OPTS, true);
  for (const o of w.opts) {
    const v = o.value;
    if (o.name === '--privileged') {
      if (v === undefined || /^(?:1|true)$/i.test(v)) set(f, 'privileged_run', `privileged: ${o.shown}`);
    } else if (v === undefined) continue;
    else if (o.name === '-v') {
      const src = volumeSource(v);
      if (src !== undefined) checkHostPath(f, src, o.shown);
    } else if (o.name === '--mount') {
      const src = mountSource(v);
      if (src !== undefined) checkHostPath(f, src, o.shown);
    } else if (o.name === '--pid' && v === 'host') set(f, 'privileged_run', `host PID namespace: ${o.shown}`);
  }
  if (w.next < argv.length) f.image = argv[w.next];
  return f;
}

/** Escape-ready settings in a containers/create JSON body (dockerd `form data:`, `curl -d`). */
export function formSignals(f: Finding, form: string, where: string): void {
  const b = readCreateBody(form);
  for (const bind of b.binds) checkHostPath(f, volumeSource(bind) ?? bind, `${where} Binds ${bind}`);
  for (const src of b.mountSources) checkHostPath(f, src, `${where} Mounts Source ${src}`);
  if (b.privileged) set(f, 'privileged_run', `privileged: ${where} Privileged=true`);
  if (b.pidHost) set(f, 'privileged_run', `host PID namespace: ${where} PidMode=host`);
  if (b.image !== undefined) f.image = b.image;
}
