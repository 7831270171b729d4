/**
 * Image creation without a Dockerfile: `import` (a root filesystem tarball or URL becomes an image),
 * `load` (an image tarball), `ctr images import`, and `commit` (a container becomes an image). Why these
 * count as T1612 activity, and which ones alert: docs/detection.md §1.
 */
import type { Exec } from '../unwrap';
import { isRemote } from '../paths';
import type { Finding } from '../types';
import { COMMIT_OPTS, IMPORT_OPTS, LOAD_OPTS, OFFICIAL_IMAGES } from '../catalogue';
import { optValue, walkOptions } from '../option-walker';
import { newFinding, set, tempSignal } from './common';

/** Signals of an image file/URL source (import, load, API fromSrc). */
export function importSource(f: Finding, what: string, src: string | undefined, exec: Exec): void {
  if (src === undefined || src === '' || src === '-') {
    set(f, 'image_import', `${what} from stdin${exec.stdinFile ? ' < ' + exec.stdinFile : ''}`);
    if (exec.stdinFile) tempSignal(f, `${what} file (stdin)`, exec.stdinFile, exec.cwd);
    return;
  }
  set(f, 'image_import', `${what}: ${src}`);
  if (isRemote(src)) set(f, 'external_file', `${what} from a URL: ${src}`);
  else tempSignal(f, `${what} file`, src, exec.cwd);
}

export function importImage(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('import', tool, argv, exec);
  const w = walkOptions(argv, j, IMPORT_OPTS);
  importSource(f, `${tool} import`, w.positionals[0], exec);
  const target = w.positionals[1];
  if (target !== undefined) {
    f.image = target;
    if (isOfficialImage(target)) set(f, 'commit_trusted', `image imported as ${target}`);
  }
  return f;
}

export function loadImage(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('import', tool, argv, exec);
  const w = walkOptions(argv, j, LOAD_OPTS);
  importSource(f, `${tool} load`, optValue(w, '-i')?.value, exec);
  return f;
}

/** `nginx`, `nginx:latest`, `docker.io/library/nginx:1.25`, `library/nginx` → true. */
export function isOfficialImage(ref: string): boolean {
  let r = ref.toLowerCase();
  const at = r.indexOf('@');
  if (at >= 0) r = r.slice(0, at);
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (colon > slash) r = r.slice(0, colon);
  for (const p of ['docker.io/library/', 'index.docker.io/library/', 'registry-1.docker.io/library/', 'library/'])
    if (r.startsWith(p)) r = r.slice(p.length);
  return r.indexOf('/') < 0 && OFFICIAL_IMAGES.has(r);
}

export function commitImage(argv: readonly string[], j: number, tool: string, exec: Exec): Finding {
  const f = newFinding('commit', tool, argv, exec);
  const w = walkOptions(argv, j, COMMIT_OPTS);
  // CONTAINER [REPOSITORY[:TAG]]: the target is the last operand, so an option value a rejoined argv split
  // (`-c CMD ["/x"]` from ausearch -i) cannot shift it
  const n = w.positionals.length;
  const target = n >= 2 ? w.positionals[n - 1] : undefined;
  if (target !== undefined) {
    f.image = target;
    if (isOfficialImage(target)) set(f, 'commit_trusted', `container ${w.positionals[0]} committed as ${target}`);
  }
  return f;
}
