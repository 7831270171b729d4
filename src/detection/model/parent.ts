/**
 * Who launched the build: the event's own script (a build found inside its `sh -c`), the parent
 * (parent_process, ParentCommandLine, ParentImage) and the ancestry (t1612_lineage, nearest first).
 * `hostile` launchers fire suspicious_parent: a reverse shell, download-and-run (`curl … | sh`),
 * decode-and-run (`base64 -d | sh`), a web/app server, a script or launcher in a writable folder
 * (also when cron/at runs it). CI runners, build tools (make, npm, IDE tasks) and interactive shells do
 * not; neither does an ordinary script (`sh -c …` in a project), which is only a hint.
 * Exact basenames and lower-case substrings from the catalogue; at most MAX_CHAIN entries of
 * MAX_TEXT bytes each are read.
 */
import {
  APP_SERVER_MARKERS,
  BUILD_TOOL_MARKERS,
  BUILD_TOOLS,
  CI_RUNNER_MARKERS,
  CI_ENTRYPOINTS,
  CI_RUNNER_NAMES,
  CI_SELF_MARKERS,
  CI_WORKSPACES,
  DECODE_AND_EXEC,
  FETCH_AND_EXEC,
  DECODERS,
  DOWNLOADERS,
  HOSTILE_MARKERS,
  INTERACTIVE,
  SCRIPT_RUNNERS,
  SERVER_PREFIXES,
  SERVERS,
  WEB_SERVER_ACCOUNT_DOMAINS,
  WEB_SERVER_ACCOUNTS,
} from './catalogue';
import { splitJoined, splitPosix, splitWindows } from './argv';
import { exeName, resolvePath, tempRoot } from './paths';
import { looksWindows } from './tokenize';

export type LaunchKind = 'hostile' | 'ci' | 'build-tool' | 'script' | 'interactive' | 'unknown';

export interface Launch {
  kind: LaunchKind;
  reason?: string;
}

const MAX_CHAIN = 12;
const MAX_TEXT = 4096;

const INTERPRETER =
  /^(?:python[0-9.]*|pythonw|perl[0-9.]*|ruby[0-9.]*|php[0-9.]*|node|nodejs|java|lua[0-9.]*|tclsh[0-9.]*|wscript|cscript|mshta|osascript|deno|bun)$/;

function truncate(s: string, n = 100): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

interface Entry {
  /** Lower-case text (command line or path), capped. */
  lower: string;
  text: string;
  argv: string[];
  base: string;
}

function entry(text: string, name?: string): Entry {
  const t = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const win = looksWindows(t, name);
  const argv = (win ? splitWindows(t) : t.indexOf('"') >= 0 || t.indexOf("'") >= 0 ? splitPosix(t) : splitJoined(t))
    .argv;
  let base = name ? exeName(name) : argv[0] !== undefined ? exeName(argv[0]) : '';
  if (base.startsWith('-')) base = base.slice(1); // login shell argv0 `-bash`
  if (base.endsWith(':')) base = base.slice(0, -1); // `nginx: worker process`, `sshd: alice@pts/0`
  return { lower: t.toLowerCase(), text: t, argv, base };
}

const BUILDERS = /^(?:docker|podman|buildah|nerdctl|img|buildctl)$/;

/** The basenames piped into (`| sh`, `|bash -s`, `| sudo docker build -`): 'shell', 'builder' or undefined. */
function pipeTarget(lower: string): 'shell' | 'builder' | undefined {
  let found: 'shell' | 'builder' | undefined;
  for (let i = lower.indexOf('|'); i >= 0; i = lower.indexOf('|', i + 1)) {
    if (lower[i + 1] === '|') {
      i++;
      continue;
    }
    let j = i + 1;
    while (lower[j] === ' ') j++;
    if (lower.startsWith('sudo ', j)) j += 5;
    const word = /^[\w./-]{1,64}/.exec(lower.slice(j, j + 64))?.[0] ?? '';
    const b = exeName(word);
    if (/^(?:ba|da|z|k|a)?sh$|^python[0-9.]*$|^perl$|^ruby$|^php$|^node$|^iex$|^invoke-expression$/.test(b))
      return 'shell';
    if (BUILDERS.test(b)) found = 'builder';
  }
  return found;
}

/** A word of the launcher's text (a command inside its script too) that is in `set`. */
function hasWord(e: Entry, set: ReadonlySet<string>): string | undefined {
  const words = e.lower.split(/[\s|;&'"()`]+/, 256);
  for (const w of words) {
    const b = exeName(w);
    if (set.has(b)) return b;
  }
  return undefined;
}

/**
 * A shell, eval or source running what a downloader prints: `bash -c "$(curl -fsSL …)"`, `sh <(wget -O- …)`,
 * `eval "\`curl …\`"`. Only in command position: `V=$(curl …)` fetching a value is not run.
 */
const SUBSTITUTED_DOWNLOAD = new RegExp(
  '(?:^|[\\s;&|(])(?:(?:ba|da|z|k)?sh|eval|source|\\.)(?: +-[a-z]{1,8})* +["\']?(?:\\$\\(|<\\(|`) *(?:sudo +)?' +
    `(?:[\\w./-]{0,64}/)?(${[...DOWNLOADERS].join('|')})\\b`,
);

/** mshta running a remote HTA or inline script (LOLBAS Mshta.exe). */
const MSHTA_REMOTE = /\b(?:https?:\/\/|vbscript:|javascript:)/;

/** Reverse shell, download-and-run or decode-and-run in a launcher's text. */
function hostileText(e: Entry): string | undefined {
  if (ciEntrypoint(e)) return undefined;
  for (const [marker, what] of HOSTILE_MARKERS) if (e.lower.indexOf(marker) >= 0) return what;
  for (const [decoder, runner] of DECODE_AND_EXEC)
    if (e.lower.indexOf(decoder) >= 0 && e.lower.indexOf(runner) >= 0) return `decode-and-run (${decoder}…${runner}…)`;
  for (const [fetch, runner] of FETCH_AND_EXEC)
    if (e.lower.indexOf(fetch) >= 0 && e.lower.indexOf(runner) >= 0) return `download-and-run (${fetch}…${runner}…)`;
  const sub = SUBSTITUTED_DOWNLOAD.exec(e.lower);
  if (sub) return `download-and-run (shell of ${sub[1]} output)`;
  // busybox is a multi-call binary: `busybox nc … -e sh` is nc
  const base = e.base === 'busybox' && e.argv.length > 1 ? exeName(e.argv[1]) : e.base;
  if (base === 'nc' || base === 'ncat' || base === 'netcat') {
    if (e.argv.some((a) => a === '-e' || a === '-c')) return 'reverse shell (nc -e)';
  }
  if (base === 'mshta' && MSHTA_REMOTE.test(e.lower)) return 'download-and-run (mshta URL or inline script)';
  if (e.base === 'socat' && e.lower.indexOf('exec:') >= 0 && e.lower.indexOf('tcp') >= 0)
    return 'reverse shell (socat exec)';
  const into = pipeTarget(e.lower);
  if (into === 'shell') {
    const dl = hasWord(e, DOWNLOADERS);
    if (dl) return `download-and-run (${dl} | shell)`;
    const dec = hasWord(e, DECODERS);
    if (dec) return `decode-and-run (${dec} | shell)`;
  } else if (into === 'builder') {
    const dec = hasWord(e, DECODERS);
    if (dec) return `decode-and-build (${dec} | builder)`;
    const dl = hasWord(e, DOWNLOADERS);
    if (dl) return `download-and-build (${dl} | builder)`;
  }
  return undefined;
}

function isServer(e: Entry): boolean {
  if (SERVERS.has(e.base)) return true;
  for (const p of SERVER_PREFIXES) if (e.base.startsWith(p)) return true;
  if (INTERPRETER.test(e.base)) for (const m of APP_SERVER_MARKERS) if (e.lower.indexOf(m) >= 0) return true;
  return false;
}

function ciEntrypoint(e: Entry): boolean {
  for (const m of CI_ENTRYPOINTS) if (e.lower.indexOf(m) >= 0) return true;
  return false;
}

function isCi(e: Entry): boolean {
  if (CI_RUNNER_NAMES.has(e.base) || ciEntrypoint(e)) return true;
  for (const m of CI_RUNNER_MARKERS) if (e.lower.indexOf(m) >= 0) return true;
  return false;
}

function isBuildTool(e: Entry): boolean {
  if (BUILD_TOOLS.has(e.base)) return true;
  if (INTERPRETER.test(e.base)) for (const m of BUILD_TOOL_MARKERS) if (e.lower.indexOf(m) >= 0) return true;
  return false;
}

function writable(p: string | undefined): string | undefined {
  if (p === undefined || p === '') return undefined;
  const r = resolvePath(p.replace(/^["']|["']$/g, ''), undefined);
  return r === undefined ? undefined : tempRoot(r);
}

/** The launcher executable, or the script a shell/interpreter/scheduler runs, in a writable folder. */
const SCRIPT_EXT = /\.(?:sh|bash|py|pl|rb|php|js|ps1|psm1|bat|cmd|vbs|jar)$/i;

function writableScript(e: Entry): string | undefined {
  const a0 = e.argv[0];
  const root0 = writable(a0);
  if (root0) return `launcher in ${root0}`;
  if (!(SCRIPT_RUNNERS.has(e.base) || INTERPRETER.test(e.base))) return undefined;
  // the script operand: the first non-option word, or any word that names a script file
  let first = true;
  for (let i = 1; i < e.argv.length && i < 32; i++) {
    const a = e.argv[i];
    if (a.startsWith('-') || (a.startsWith('/') && a.length <= 3 && !a.startsWith('/tmp'))) continue;
    if (first || SCRIPT_EXT.test(a)) {
      const root = writable(a.split(' ', 1)[0]);
      if (root) return `script in ${root}`;
    }
    first = false;
  }
  return undefined;
}

function isScript(e: Entry): boolean {
  if (INTERPRETER.test(e.base)) return true;
  if (!SCRIPT_RUNNERS.has(e.base)) return false;
  return (
    e.argv.length > 1 &&
    !e.argv.slice(1).every((a) => a === '-i' || a === '-l' || a === '--login' || a === '-il' || a === '-li')
  );
}

/**
 * Classifies the launch. `own` is the script runner the build was found in (the event's own `sh -c`),
 * then the parent, then the ancestry.
 */
export function classifyLaunch(
  own: string | undefined,
  parentName: string | undefined,
  parentCmd: string | undefined,
  lineage: readonly string[] | undefined,
  cwd?: string,
  self?: string,
): Launch {
  const chain: Entry[] = [];
  if (own) chain.push(entry(own));
  if (parentCmd || parentName) chain.push(entry(parentCmd ?? parentName ?? '', parentName));
  if (lineage)
    for (let i = 0; i < lineage.length && chain.length < MAX_CHAIN; i++) if (lineage[i]) chain.push(entry(lineage[i]));
  if (chain.length === 0 && cwd === undefined && self === undefined) return { kind: 'unknown' };
  for (const e of chain) {
    const h = hostileText(e);
    if (h) return { kind: 'hostile', reason: `launched by ${h}: ${truncate(e.text)}` };
  }
  for (const e of chain)
    if (isCi(e)) return { kind: 'ci', reason: `CI runner in the launch chain: ${truncate(e.text)}` };
  if (self !== undefined) {
    const me = entry(self);
    for (const m of CI_SELF_MARKERS)
      if (me.lower.indexOf(m) >= 0) return { kind: 'ci', reason: `CI tooling in the command: ${m}` };
  }
  if (cwd !== undefined) {
    const w = cwd.toLowerCase();
    for (const m of CI_WORKSPACES) if (w.indexOf(m) >= 0) return { kind: 'ci', reason: `CI runner workspace: ${cwd}` };
  }
  for (const e of chain) {
    if (isServer(e)) return { kind: 'hostile', reason: `launched by server process ${e.base}: ${truncate(e.text)}` };
    const w = writableScript(e);
    if (w) return { kind: 'hostile', reason: `launched by ${w}: ${truncate(e.text)}` };
  }
  // the nearest launcher that is not a plain shell decides between build tool, script and interactive
  for (const e of chain) {
    if (isBuildTool(e)) return { kind: 'build-tool', reason: `build tool in the launch chain: ${truncate(e.text)}` };
    if (INTERACTIVE.has(e.base)) return { kind: 'interactive' };
    if (isScript(e)) {
      // `sh -c` started by make/npm/an IDE is the tool's recipe
      const rest = chain.slice(chain.indexOf(e) + 1);
      if (rest.some(isBuildTool)) return { kind: 'build-tool', reason: `build tool in the launch chain` };
      return { kind: 'script', reason: `launched by script: ${truncate(e.text)}` };
    }
    if (SCRIPT_RUNNERS.has(e.base)) return { kind: 'interactive' };
  }
  return { kind: 'unknown' };
}

/** The user when it is a web/app server's service account (`www-data`, `IIS APPPOOL\\DefaultAppPool`). */
export function webServerAccount(user: string | undefined): string | undefined {
  if (user === undefined || user.length > 256) return undefined;
  const lower = user.toLowerCase();
  for (const d of WEB_SERVER_ACCOUNT_DOMAINS) if (lower.startsWith(d)) return user;
  const slash = lower.lastIndexOf('\\');
  return WEB_SERVER_ACCOUNTS.has(slash >= 0 ? lower.slice(slash + 1) : lower) ? user : undefined;
}
