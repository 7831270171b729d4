/**
 * From a command line to the simple commands it really runs: wrappers (sudo, env, nohup, timeout,
 * nice, doas, exec, command, time, setsid, stdbuf, ionice, busybox) are skipped with their own options,
 * `sh|bash|dash|zsh|ksh|ash|mksh -c '…'`, `su … -c '…'`, `cmd /c …` and `powershell -Command …`
 * scripts are split on `;` `&&` `||` `|` `&` and newlines, and `cd <dir>` inside a script moves the
 * working directory for the commands after it.
 *
 * Bounded work: each script is tokenised once, and a nested script is a part of its parent command's
 * text, so the bytes tokenised are at most (DEPTH_CAP + 1) × the bytes examined. Hard caps on nesting
 * depth, simple commands per line, words per command and bytes examined; hitting one is reported in
 * `Unwrapped.truncated` (the commands seen so far are still returned).
 */
import { SimpleCommand, splitCommands, Token, tokenize } from './tokenize';
import { exeName, resolvePath } from './paths';
import { WRAPPERS, WrapperRow } from './catalogue';
import { STEPS } from '../../steps';

export interface Exec {
  /** argv of the innermost command (wrappers removed). */
  argv: string[];
  /** Working directory the command runs in (process cwd, moved by `cd`, `sudo -D`, `env -C`). */
  cwd?: string;
  /** `< file` redirection of the command, if any. */
  stdinFile?: string;
  /** The script runner (`bash -c …`, `su … -c …`, `cmd /c …`) this command was found in, if any. */
  launcher?: string;
  windows: boolean;
}

export const DEPTH_CAP = 6;
export const COMMANDS_CAP = 64;
export const ARGS_CAP = 1024;
export const BYTES_CAP = 65536;
/** Wrappers (sudo nohup timeout …) stacked in front of one command. */
const WRAPPER_CAP = 12;
const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/;
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time', 'coproc']);
export const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'rbash', 'fish', 'tcsh', 'csh']);

interface WrapperResult {
  next: number;
  cwd?: string;
  cwdChanged: boolean;
  split?: string;
}

/** Whether option `name` (as typed) takes a value, and its canonical name, per the wrapper's catalogue row. */
function optionOf(spec: WrapperRow, name: string): { canon: string; takesValue: boolean } {
  const canon = spec.spec.canon.get(name) ?? name;
  return { canon, takesValue: spec.spec.takesValue.has(canon) };
}

/** Skips a wrapper's own options; returns the index of the wrapped command (or -1 when it runs none). */
function skipWrapper(spec: WrapperRow, w: string[], j: number, cwd: string | undefined): WrapperResult {
  const r: WrapperResult = { next: -1, cwd, cwdChanged: false };
  let positionals = spec.positionals ?? 0;
  while (j < w.length) {
    const t = w[j];
    if (t === '--') {
      j++;
      break;
    }
    if (t.startsWith('--') && t.length > 2) {
      const eq = t.indexOf('=');
      const name = eq < 0 ? t : t.slice(0, eq);
      if (spec.stop?.has(name)) return r;
      let val: string | undefined = eq < 0 ? undefined : t.slice(eq + 1);
      const opt = optionOf(spec, name);
      if (opt.takesValue && val === undefined) {
        val = w[j + 1];
        j++;
      }
      if (val !== undefined) apply(spec, opt.canon, val, r);
      j++;
      continue;
    }
    if (t.length > 1 && t[0] === '-') {
      if (spec.numeric && /^-\d+$/.test(t)) {
        j++;
        continue;
      }
      for (let k = 1; k < t.length; k++) {
        const flag = '-' + t[k];
        if (spec.stop?.has(flag)) return r;
        const opt = optionOf(spec, flag);
        if (opt.takesValue) {
          let val = t.slice(k + 1);
          if (val === '') {
            val = w[j + 1] ?? '';
            j++;
          }
          apply(spec, opt.canon, val, r);
          break;
        }
      }
      j++;
      continue;
    }
    if (t === '-' && spec === WRAPPERS.get('env')) {
      j++;
      continue;
    }
    if (spec.assignments && ASSIGN.test(t)) {
      j++;
      continue;
    }
    if (positionals > 0) {
      positionals--;
      j++;
      continue;
    }
    break;
  }
  r.next = j < w.length || r.split !== undefined ? j : -1;
  return r;
}

function apply(spec: WrapperRow, name: string, val: string, r: WrapperResult): void {
  if (spec.chdir?.has(name)) {
    r.cwd = resolvePath(val, r.cwd);
    r.cwdChanged = true;
  } else if (spec.split?.has(name)) r.split = val;
}

/** Index of the script operand of a shell invocation (`-c` given), or undefined. */
export function shellScriptIndex(w: readonly string[], j: number): number | undefined {
  let hasC = false;
  for (; j < w.length; j++) {
    const t = w[j];
    if (t === '--' || t === '-') {
      j++;
      break;
    }
    if ((t[0] === '-' || t[0] === '+') && t.length > 1) {
      if (t.startsWith('--')) {
        if (t === '--rcfile' || t === '--init-file') j++;
        continue;
      }
      if (t === '-o' || t === '+o' || t === '-O' || t === '+O') {
        j++;
        continue;
      }
      if (t[0] === '-' && t.indexOf('c', 1) >= 0) hasC = true;
      continue;
    }
    break;
  }
  return hasC && j < w.length ? j : undefined;
}

/** The first `n` characters of the launcher shown in reasons: the runner's words, then its script. */
function launcherText(w: readonly string[], from: number, to: number, text: string, n = 120): string {
  let s = '';
  for (let k = from; k < to && s.length < n; k++) s += w[k] + ' ';
  s += text.length > n ? text.slice(0, n) : text;
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

/**
 * What unwrapping one command line found: the simple commands it runs, and, when a work cap was hit
 * (depth, commands per line, args per command, bytes examined), a short reason naming that cap.
 */
export interface Unwrapped {
  execs: Exec[];
  truncated?: string;
}

/** How a script's text is tokenised: POSIX shell, cmd.exe, or PowerShell (`;` separates too). */
type Dialect = 'posix' | 'cmd' | 'ps';

interface Ctx {
  out: Exec[];
  commands: number;
  truncated?: string;
  /** A cap that stops the whole line (commands per line). */
  stopped: boolean;
}

function hitCap(ctx: Ctx, reason: string): void {
  ctx.truncated ??= reason;
}

/** Bounded unwrapping of one command line; see Unwrapped. */
export function unwrapCommandLine(line: string, windows: boolean, cwd: string | undefined): Unwrapped {
  const ctx: Ctx = { out: [], commands: 0, stopped: false };
  let text = line;
  if (text.length > BYTES_CAP) {
    text = text.slice(0, BYTES_CAP);
    hitCap(ctx, `bytes examined cap ${BYTES_CAP}`);
  }
  collect(text, windows ? 'cmd' : 'posix', cwd, 0, undefined, true, ctx);
  return ctx.truncated === undefined ? { execs: ctx.out } : { execs: ctx.out, truncated: ctx.truncated };
}

/** Every simple command `line` runs (wrappers and shell scripts unwrapped), in order. */
export function collectExecs(line: string, windows: boolean, cwd: string | undefined): Exec[] {
  return unwrapCommandLine(line, windows, cwd).execs;
}

function collect(
  text: string,
  dialect: Dialect,
  cwd: string | undefined,
  depth: number,
  launcher: string | undefined,
  topLevel: boolean,
  ctx: Ctx,
): void {
  if (ctx.stopped) return;
  if (depth > DEPTH_CAP) {
    hitCap(ctx, `depth cap ${DEPTH_CAP}`);
    return;
  }
  // cmd.exe's caret escapes apply to the script it runs, not to a process's own argv (CommandLineToArgvW).
  const cmds = splitCommands(
    tokenize(text, dialect !== 'posix', dialect === 'ps', dialect === 'cmd' && !topLevel),
    text,
  );
  // PowerShell's single-quoted strings (`& 'docker' build`): CommandLineToArgvW rules keep the quotes
  if (dialect === 'ps')
    for (const c of cmds)
      for (const t of c.words)
        if (t.value.length >= 2 && t.value[0] === "'" && t.value.endsWith("'")) {
          t.value = t.value.slice(1, -1);
          t.quoted = true;
        }
  // A process's own command line is one argv: only its first simple command is the process; the rest
  // of the line is reached through the script operand of a shell (quoting lost when argv was joined).
  const limit = topLevel ? Math.min(1, cmds.length) : cmds.length;
  let cur = cwd;
  for (let c = 0; c < limit; c++) {
    if (ctx.commands >= COMMANDS_CAP) {
      hitCap(ctx, `commands per line cap ${COMMANDS_CAP}`);
      ctx.stopped = true;
      return;
    }
    ctx.commands++;
    cur = handle(cmds[c], dialect !== 'posix', cur, depth, launcher, topLevel, ctx);
    if (ctx.stopped) return;
  }
}

/**
 * Script text of the operand at word k: the raw rest of the line for an unquoted operand of the process's
 * own command line (argv joined with spaces lost the quoting), else the operand's value. cmd.exe and
 * PowerShell take everything after `/c`, `-Command`: the rest of the line at top level, the rest of this
 * simple command inside a script (the outer script already split it at its operators).
 */
function scriptText(cmd: SimpleCommand, tok: Token, topLevel: boolean, windowsStyle: boolean): string {
  if (windowsStyle) {
    let text = cmd.src.slice(tok.start, topLevel ? cmd.src.length : cmd.end).trim();
    if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
    return text;
  }
  if (!topLevel || (tok.quoted && wholeQuoted(cmd.src, tok.start))) return tok.value;
  return cmd.src.slice(tok.start);
}

/**
 * The word at `start` is one quoted string (`'…'`, `"…"`) ending at a word boundary. A partly quoted
 * operand (`d''ocker "bu"ild …`) of a joined argv is the start of the script, not all of it.
 */
function wholeQuoted(src: string, start: number): boolean {
  const q = src[start];
  if (q !== '"' && q !== "'") return false;
  let i = start + 1;
  while (i < src.length && src[i] !== q) i += q === '"' && src[i] === '\\' ? 2 : 1;
  if (i >= src.length) return false;
  const next = src.charCodeAt(i + 1);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 59 || next === 38 || next === 124;
}

const PS_COMMAND = new Set(['-c', '-command', '/c', '-com', '-comm', '-comma', '-comman']);

function handle(
  cmd: SimpleCommand,
  windows: boolean,
  cwd: string | undefined,
  depth: number,
  launcher: string | undefined,
  topLevel: boolean,
  ctx: Ctx,
): string | undefined {
  let toks = cmd.words;
  if (toks.length > ARGS_CAP) {
    toks = toks.slice(0, ARGS_CAP);
    hitCap(ctx, `args per command cap ${ARGS_CAP}`);
  }
  STEPS.unwrap += toks.length + 1;
  const w = toks.map((t) => t.value);
  let i = 0;
  while (i < w.length && (RESERVED.has(w[i]) || (ASSIGN.test(w[i]) && !toks[i].quoted))) i++;
  let cwdHere = cwd;
  for (let guard = 0; guard < WRAPPER_CAP && i < w.length; guard++) {
    const name = exeName(w[i]);
    if (name === 'cd' || name === 'pushd' || name === 'chdir') {
      let j = i + 1;
      if (windows && w[j] !== undefined && w[j].toLowerCase() === '/d') j++;
      while (j < w.length && /^-[LPe@]+$/.test(w[j])) j++;
      const arg = w[j];
      // `cd` alone (home) or `cd -`: unknown
      return arg === undefined || arg === '-' ? undefined : resolvePath(arg, cwd);
    }
    const spec = WRAPPERS.get(name);
    if (spec) {
      const r = skipWrapper(spec, w, i + 1, cwdHere);
      STEPS.unwrap += (r.next < 0 ? w.length : r.next) - i;
      if (r.cwdChanged) cwdHere = r.cwd;
      if (r.split !== undefined) {
        const rest = !spec.splitWhole && r.next >= 0 && r.next < w.length ? ' ' + w.slice(r.next).join(' ') : '';
        collect(r.split + rest, windows ? 'cmd' : 'posix', cwdHere, depth + 1, launcher, false, ctx);
        return cwd;
      }
      if (r.next < 0) return cwd;
      i = r.next;
      continue;
    }
    if ((name === 'busybox' || name === 'toybox') && i + 1 < w.length) {
      i++;
      continue;
    }
    if (SHELLS.has(name)) {
      const k = shellScriptIndex(w, i + 1);
      STEPS.unwrap += (k ?? w.length) - i;
      if (k !== undefined) {
        const text = scriptText(cmd, toks[k], topLevel, false);
        collect(text, 'posix', cwdHere, depth + 1, launcherText(w, i, k, text), false, ctx);
      }
      return cwd;
    }
    if (name === 'su' || name === 'runuser') {
      for (let j = i + 1; j < w.length; j++) {
        STEPS.unwrap++;
        const t = w[j];
        let text: string | undefined;
        if (t === '-c' || t === '--command')
          text = j + 1 < w.length ? scriptText(cmd, toks[j + 1], topLevel, false) : undefined;
        else if (t.startsWith('--command=')) text = t.slice(10);
        if (text !== undefined) {
          // su starts the target user's shell; with -l/- it starts in their home (unknown here).
          const login = w.slice(i + 1, j).some((x) => x === '-' || x === '-l' || x === '--login');
          collect(text, 'posix', login ? undefined : cwdHere, depth + 1, launcherText(w, i, j + 1, text), false, ctx);
          break;
        }
      }
      return cwd;
    }
    if (name === 'cmd' || name === 'powershell' || name === 'pwsh') {
      const ps = name !== 'cmd';
      for (let j = i + 1; j < w.length; j++) {
        STEPS.unwrap++;
        const t = w[j].toLowerCase();
        if (ps ? PS_COMMAND.has(t) : t === '/c' || t === '/k' || t === '/r') {
          if (j + 1 >= w.length) return cwd;
          const text = scriptText(cmd, toks[j + 1], topLevel, true);
          collect(text, ps ? 'ps' : 'cmd', cwdHere, depth + 1, launcherText(w, i, j + 1, text), false, ctx);
          return cwd;
        }
      }
      return cwd;
    }
    // `eval 'docker build …'` runs its words, joined, as a script
    if (name === 'eval') {
      if (i + 1 < w.length) collect(w.slice(i + 1).join(' '), 'posix', cwdHere, depth + 1, launcher, false, ctx);
      return cwd;
    }
    let stdinFile: string | undefined;
    for (const r of cmd.redirs) if ((r.value === '<' || r.value === '0<') && r.target) stdinFile = r.target;
    ctx.out.push({ argv: w.slice(i), cwd: cwdHere, stdinFile, launcher, windows });
    return cwd;
  }
  return cwd;
}
