import { BENIGN_TEMP, BENIGN_TEMP_WINDOWS, POSIX_WRITABLE, SHORT_NAMES, WINDOWS_WRITABLE } from './catalogue';

/**
 * Path helpers: resolve a build context / Dockerfile argument against the working directory, decide
 * whether it lies in a world-writable temp folder, and whether it names a remote source.
 */

/** Last path component (`/` and `\`), lower-cased, without a trailing `.exe`. */
export function exeName(p: string): string {
  let end = p.length;
  while (end > 1 && (p[end - 1] === '/' || p[end - 1] === '\\')) end--;
  const i = Math.max(p.lastIndexOf('/', end - 1), p.lastIndexOf('\\', end - 1));
  let b = p.slice(i + 1, end).toLowerCase();
  if (b.endsWith('.exe')) b = b.slice(0, -4);
  return b;
}

const WIN_ABS = /^(?:[A-Za-z]:[\\/]|\\\\|\/\/)/;

function normalisePosix(p: string): string {
  const parts = p.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

function normaliseWindows(p: string): string {
  const s = p.replace(/\//g, '\\');
  let prefix = '';
  let rest = s;
  const m = /^([A-Za-z]:)\\?/.exec(s);
  if (m) {
    prefix = m[1];
    rest = s.slice(m[0].length);
  } else if (s.startsWith('\\\\')) {
    prefix = '\\';
    rest = s.slice(2);
  }
  const out: string[] = [];
  for (const part of rest.split('\\')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return prefix + '\\' + out.join('\\');
}

/**
 * Absolute, normalised form of `arg` (a local path) given the working directory; undefined when it
 * cannot be known (relative path and no cwd, `~`, variables).
 */
export function resolvePath(arg: string, cwd: string | undefined): string | undefined {
  if (arg === '') return undefined;
  const env = envTemp(arg);
  if (env) return arg;
  if (WIN_ABS.test(arg) && (arg[1] === ':' || arg.indexOf('\\') >= 0)) return normaliseWindows(arg);
  if (arg.startsWith('/')) return normalisePosix(arg);
  if (arg.startsWith('$') || arg.startsWith('%')) {
    const v = WIN_ENV.exec(arg);
    return v ? normaliseWindows(WIN_ENV_BASE[(v[1] ?? v[2]).toLowerCase()] + arg.slice(v[0].length)) : undefined;
  }
  if (arg.startsWith('~')) return undefined;
  if (cwd === undefined || cwd === '') return undefined;
  if (WIN_ABS.test(cwd) && cwd[1] === ':') return normaliseWindows(cwd + '\\' + arg);
  if (cwd.startsWith('/')) return normalisePosix(cwd + '/' + arg);
  return undefined;
}

/** cmd `%VAR%` / PowerShell `$env:VAR` folders a command line names unexpanded (their default locations). */
const WIN_ENV =
  /^(?:%(localappdata|userprofile|public|programdata|allusersprofile|systemroot|windir)%|\$env:(localappdata|userprofile|public|programdata|allusersprofile|systemroot|windir))(?=[\\/]|$)/i;
const WIN_ENV_BASE: Record<string, string> = {
  localappdata: 'C:\\Users\\%USERNAME%\\AppData\\Local',
  userprofile: 'C:\\Users\\%USERNAME%',
  public: 'C:\\Users\\Public',
  programdata: 'C:\\ProgramData',
  allusersprofile: 'C:\\ProgramData',
  systemroot: 'C:\\Windows',
  windir: 'C:\\Windows',
};
const ENV_TEMP = /^(?:%te?mp%|\$env:te?mp|\$\{?tmpdir\}?)(?:[\\/]|$)/i;

function envTemp(arg: string): boolean {
  return ENV_TEMP.test(arg);
}

const POSIX_ROOTS = POSIX_WRITABLE.map((r) => ({ root: r, slash: r + '/' }));
const RUN_USER = /^\/run\/user\/\d+(?=\/|$)/;
/** WSL mounts Windows drives at /mnt/<letter> (wsl.conf automount root, learn.microsoft.com/windows/wsl/wsl-config). */
const WSL_DRIVE = /^\/mnt\/([a-z])\//i;

/** `C:\Users\ADMINI~1\APPDAT~1\Local\Temp\x` → lower case, long folder names (8.3 forms of the roots). */
function windowsForm(p: string): string {
  let s = p.toLowerCase();
  if (s.indexOf('~') >= 0) for (const [re, long] of SHORT_NAMES) s = s.replace(re, long);
  return s;
}

/**
 * The writable root `p` (already resolved) lies under, as shown in reasons: `/tmp`, `/var/tmp`, `/dev/shm`,
 * `/run/user/<uid>`, …, `%TEMP%` (…\AppData\Local\Temp\, 8.3 forms too), `\Windows\Temp`,
 * `\Windows\SystemTemp`, `\Users\Public`; undefined when not a writable folder or a documented
 * tool-generated one (catalogue BENIGN_TEMP).
 */
export function tempRoot(p: string): string | undefined {
  if (p.startsWith('/')) {
    for (const b of BENIGN_TEMP) if (p.startsWith(b)) return undefined;
    for (const r of POSIX_ROOTS) if (p === r.root || p.startsWith(r.slash)) return r.root;
    const m = RUN_USER.exec(p);
    if (m) return m[0];
    const d = p.startsWith('/mnt/') ? WSL_DRIVE.exec(p) : null;
    return d ? tempRoot(d[1] + ':' + p.slice(6).replace(/\//g, '\\')) : undefined;
  }
  if (envTemp(p)) return p.startsWith('$') && /tmpdir/i.test(p) ? '$TMPDIR' : '%TEMP%';
  if (p.indexOf('\\') < 0) return undefined;
  const s = windowsForm(p) + '\\';
  for (const b of BENIGN_TEMP_WINDOWS) if (s.indexOf(b) >= 0) return undefined;
  for (const w of WINDOWS_WRITABLE) if (s.indexOf(w.marker + '\\') >= 0) return w.shown;
  return undefined;
}

const REMOTE =
  /^(?:https?:\/\/|git:\/\/|ssh:\/\/|git@|(?:github\.com|gitlab\.com|bitbucket\.org)\/|s3:\/\/|gs:\/\/|ftp:\/\/)/i;
const GIT_REF = /\.git#/i;

/** A build context or Dockerfile that Docker/BuildKit/kaniko fetch from a remote location. */
export function isRemote(arg: string): boolean {
  return REMOTE.test(arg) || GIT_REF.test(arg);
}

const GIT_REMOTE = /^(?:git:\/\/|git@|ssh:\/\/|(?:github\.com|gitlab\.com|bitbucket\.org)\/)|\.git(?:#|$)/i;

/** A remote that is a git repository (not a tarball or a single Dockerfile). */
export function isGitRemote(arg: string): boolean {
  return GIT_REMOTE.test(arg);
}

/** A docker socket path (`…/docker.sock`, the Windows `docker_engine` pipe). */
export function isDockerSocket(p: string): boolean {
  const s = p.startsWith('unix://') ? p.slice(7) : p.startsWith('npipe://') ? p.slice(8) : p;
  return /(?:^|[\\/])docker\.sock$/i.test(s) || /[\\/]pipe[\\/]docker_engine$/i.test(s);
}
