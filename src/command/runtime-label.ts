/**
 * What `| t1612score report_runtime=true` writes in `t1612_runtime`: which runtime runs the command
 * on this server, so `t1612 verify --peers` can show it per splunk_server. The launcher (bin/) says
 * which one it chose in T1612_RUNTIME_LABEL before it execs; without it the command describes the
 * Node that runs it. Computed once per process.
 */
import { basename } from 'node:path';

export const RUNTIME_LABEL_ENV = 'T1612_RUNTIME_LABEL';
const MAX_LABEL_CHARS = 120;

/** True inside a Node single-executable application (`node:sea` exists from Node 20). */
function isSea(): boolean {
  try {
    // A static import would fail to load on Node 18, which has no node:sea.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sea = require('node:sea') as { isSea?: () => boolean };
    return sea.isSea?.() === true;
  } catch {
    return false;
  }
}

export function runtimeLabel(env: NodeJS.ProcessEnv = process.env): string {
  // Control characters out, length capped: the label goes into every returned row.
  const given = (env[RUNTIME_LABEL_ENV] ?? '').replace(/\p{Cc}+/gu, ' ').trim();
  if (given) return given.slice(0, MAX_LABEL_CHARS);
  if (isSea()) return `sea ${process.platform}-${process.arch} node ${process.version}`;
  return `node ${process.version} (${basename(process.execPath)})`;
}
