/**
 * Reading `allowlist=<name>` files for the command: only from the app's own lookups/ folder, and always
 * together with the user's companion file. The package ships `<name>` (default rows) and never ships
 * `<stem>_local.csv`, which holds the site's own rows, so an upgrade that replaces the shipped file leaves the
 * user's rows in place (docs/install.md, "Tuning that survives upgrades").
 */
import * as fs from 'fs';
import * as path from 'path';
import { AllowlistError, AllowlistRow, parseAllowlist } from '../detection/model/allowlist';

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The user's companion of a shipped allowlist: t1612_allowlist.csv -> t1612_allowlist_local.csv. */
export function userAllowlistName(name: string): string {
  const ext = path.extname(name);
  return `${name.slice(0, name.length - ext.length)}_local${ext}`;
}

/**
 * The app's lookups folder as seen from the running command. The launcher names the app copy it runs
 * from in T1612_APP_DIR: a runtime installed in etc/peer-apps/<app>/bin may serve a knowledge-bundle copy,
 * whose lookups (with the search head's user rows) are the ones to read. Without it: bin/t1612score.js ->
 * <app>/lookups, and a runtime in <app>/<platform>/bin/ -> <app>/lookups as well.
 */
export function defaultLookupsDir(env: NodeJS.ProcessEnv = process.env, here: string = __dirname): string {
  if (env.T1612_APP_DIR && path.isAbsolute(env.T1612_APP_DIR)) return path.join(env.T1612_APP_DIR, 'lookups');
  const up = path.dirname(here);
  const appDir = /^(linux|windows|darwin)_/.test(path.basename(up)) ? path.dirname(up) : up;
  return path.join(appDir, 'lookups');
}

/** The real path of `name` in `lookupsDir`, or undefined when it does not exist. Throws on unsafe names. */
function resolveLookup(name: string, lookupsDir: string): string | undefined {
  if (!SAFE_NAME.test(name) || name.indexOf('..') >= 0) {
    throw new AllowlistError(
      `allowlist: "${name}" is not a plain file name in the app's lookups folder (no paths, no "..")`,
    );
  }
  let real: string;
  let realDir: string;
  try {
    realDir = fs.realpathSync(lookupsDir);
    real = fs.realpathSync(path.join(lookupsDir, name));
  } catch {
    return undefined;
  }
  if (path.dirname(real) !== realDir)
    throw new AllowlistError(`allowlist: "${name}" resolves outside the app's lookups folder`);
  if (!fs.statSync(real).isFile()) throw new AllowlistError(`allowlist: "${name}" is not a file`);
  return real;
}

/**
 * Loads `allowlist=<name>` from the app's lookups/ folder only (a bare file name; the real path must stay
 * inside that folder), then the rows of its user companion `<stem>_local.csv` when that file exists.
 * Throws AllowlistError with a user-facing reason.
 */
export function loadAllowlist(name: string, lookupsDir: string = defaultLookupsDir()): AllowlistRow[] {
  const n = name.trim();
  const shipped = resolveLookup(n, lookupsDir);
  if (!shipped) throw new AllowlistError(`allowlist: lookup file "${n}" not found in the app's lookups folder`);
  const rows = parseAllowlist(fs.readFileSync(shipped, 'utf8'), n);
  const userName = userAllowlistName(n);
  if (userName === n) return rows;
  const user = resolveLookup(userName, lookupsDir);
  return user ? rows.concat(parseAllowlist(fs.readFileSync(user, 'utf8'), userName)) : rows;
}
