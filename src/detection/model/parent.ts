/**
 * suspicious_parent: was the build launched by a script, interpreter, downloader or server?
 * Exact basenames only (never substrings). Shells count only when they run a script or `-c`
 * (or read a script from stdin with `-s`); an interactive shell (`-bash`, `bash`, `bash -l`, `zsh -i`)
 * does not, and a shell parent whose command line is unknown is not counted.
 */
import { exeName } from './paths';
import { tokenize } from './tokenize';
import { SHELLS, shellScriptIndex } from './unwrap';
import { looksWindows } from './tokenize';

/** Interpreters: any invocation counts (`python3 x.py`, `perl -e`, `node app.js`). */
const INTERPRETERS =
  /^(?:python[0-9.]*|pythonw|perl[0-9.]*|ruby[0-9.]*|php[0-9.]*|php-cgi[0-9.]*|node|nodejs|java|lua[0-9.]*|tclsh[0-9.]*|wscript|cscript|mshta|rundll32|regsvr32|osascript)$/;
/** Downloaders. */
const DOWNLOADERS = new Set(['curl', 'wget', 'bitsadmin', 'certutil']);
/** Servers and app servers: a build spawned by one is an exploited service. */
const SERVERS =
  /^(?:nginx|httpd|apache2?|lighttpd|caddy|php-fpm[0-9.]*|uwsgi|gunicorn|w3wp|tomcat[0-9]*|catalina|sqlservr|postgres|mysqld|redis-server|jenkins-agent)$/;

function truncate(s: string, n = 100): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

/** A reason when the parent is suspicious, else undefined. */
export function suspiciousParent(parentName: string | undefined, parentCmd: string | undefined): string | undefined {
  let argv: string[] = [];
  if (parentCmd) {
    const toks = tokenize(parentCmd, looksWindows(parentCmd, parentName));
    for (const t of toks) {
      if (t.kind === 'op') break;
      if (t.kind === 'word') argv.push(t.value);
    }
  }
  const raw0 = argv[0];
  let base = parentName ? exeName(parentName) : raw0 !== undefined ? exeName(raw0) : '';
  // login shells: argv0 `-bash`; parent_process_name may carry the dash too
  const login = (raw0 !== undefined && raw0.startsWith('-')) || base.startsWith('-');
  if (base.startsWith('-')) base = base.slice(1);
  if (base === 'busybox' && argv.length > 1) {
    base = exeName(argv[1]);
    argv = argv.slice(1);
  }
  if (base === '') return undefined;
  const shown = parentCmd ? truncate(parentCmd) : base;
  if (SHELLS.has(base)) {
    if (login || argv.length === 0) return undefined;
    if (shellScriptIndex(argv, 1) !== undefined) return `launched by shell -c: ${shown}`;
    for (let j = 1; j < argv.length; j++) {
      const a = argv[j];
      if (a === '-o' || a === '+o' || a === '--rcfile' || a === '--init-file') {
        j++;
        continue;
      }
      if (a.startsWith('-') || a.startsWith('+')) {
        if (!a.startsWith('--') && a.indexOf('s', 1) >= 0) return `launched by shell reading stdin (-s): ${shown}`;
        continue;
      }
      return `launched by shell script: ${shown}`;
    }
    return undefined; // interactive
  }
  if (base === 'su' || base === 'runuser') {
    // `su user -c '…'` runs its command through the user's shell: a script launch
    return argv.some((a) => a === '-c' || a === '--command' || a.startsWith('--command='))
      ? `launched by su -c: ${shown}`
      : undefined;
  }
  if (base === 'cmd') {
    return argv.some((a) => /^\/[ck]$/i.test(a)) ? `launched by cmd /c: ${shown}` : undefined;
  }
  if (base === 'powershell' || base === 'pwsh') {
    const scripted = argv
      .slice(1)
      .some((a) => /^[-/](?:c|command|e|ec|enc|encodedcommand|f|file)$/i.test(a) || /\.ps1$/i.test(a));
    return scripted ? `launched by PowerShell script/command: ${shown}` : undefined;
  }
  if (INTERPRETERS.test(base)) return `launched by interpreter ${base}: ${shown}`;
  if (DOWNLOADERS.has(base)) return `launched by downloader ${base}: ${shown}`;
  if (SERVERS.test(base)) return `launched by server process ${base}: ${shown}`;
  return undefined;
}
