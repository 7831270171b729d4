/** Helpers every family recogniser shares: a new Finding, first-reason-wins signals, writable-path checks. */
import type { Exec } from '../unwrap';
import { resolvePath, tempRoot } from '../paths';
import type { Finding, SignalName } from '../types';

export function newFinding(activity: Finding['activity'], tool: string, argv: readonly string[], exec: Exec): Finding {
  return { activity, tool, command: argv.join(' '), launcher: exec.launcher, reasons: {}, hints: [] };
}

/** Sets a signal's reason unless it already has one (the first evidence found is the one shown). */
export function set(f: Finding, s: SignalName, reason: string): void {
  if (f.reasons[s] === undefined) f.reasons[s] = reason;
}

function relNote(arg: string, resolved: string, cwd: string | undefined): string {
  return arg === resolved || arg.startsWith('/') || cwd === undefined ? '' : ` ("${arg}" in cwd ${cwd})`;
}

/** from_temp when `arg` (resolved against cwd) lies in a writable folder; returns true when it fired. */
export function tempSignal(f: Finding, what: string, arg: string, cwd: string | undefined): boolean {
  const p = resolvePath(arg, cwd);
  const root = p === undefined ? undefined : tempRoot(p);
  if (p === undefined || root === undefined) return false;
  set(f, 'from_temp', `${what} in ${root}: ${p}${relNote(arg, p, cwd)}`);
  return true;
}
