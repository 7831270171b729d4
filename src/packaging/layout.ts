/**
 * What goes into the app package and with which mode. One app folder named after `[package] id`;
 * 0755 only for the files splunkd executes (commands.conf `filename` in bin/ and <PLATFORM>/bin/, and the
 * runtimes the launcher execs),
 * 0644 for everything else; no dotfiles, no local/, no local.meta, no compiled Python.
 */
import * as fs from 'fs';
import * as path from 'path';
import { confValue, parseConf } from './conf';

/** Repository folder -> folder inside the app. docs/install.md ships as INSTALL.md. */
export const SOURCES: ReadonlyArray<readonly [string, string]> = [
  ['app', ''],
  ['default', 'default'],
  ['lookups', 'lookups'],
  ['bin', 'bin'],
];
export const EXTRA_FILES: ReadonlyArray<readonly [string, string]> = [['docs/install.md', 'INSTALL.md']];

/** splunkd's platform folders for chunked commands (commands.conf.spec, 'filename'). */
export const PLATFORMS = ['linux_x86_64', 'linux_x86', 'windows_x86_64', 'windows_x86', 'darwin_x86_64'] as const;

/** Linux runtimes in bin/, named <filename>-<arch> after `uname -m`'s normalised value. */
export const RUNTIME_ARCHS = ['linux-x86_64', 'linux-aarch64'] as const;

export interface StagedFile {
  /** Path inside the app folder, "/"-separated. */
  rel: string;
  data: Buffer;
  mode: number;
}

export interface Staged {
  id: string;
  version: string;
  files: StagedFile[];
  skipped: string[];
}

export function readPackageVersion(root: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no "version"');
  return pkg.version;
}

export function readAppId(root: string): string {
  const conf = parseConf(fs.readFileSync(path.join(root, 'default', 'app.conf'), 'utf8'));
  const id = confValue(conf, 'package', 'id');
  if (!id) throw new Error('default/app.conf has no [package] id');
  return id;
}

/** Paths (inside the app) that splunkd executes directly, from commands.conf. */
export function executablePaths(commandsConf: string | undefined): Set<string> {
  const out = new Set<string>();
  if (commandsConf === undefined) return out;
  for (const s of parseConf(commandsConf).stanzas) {
    const filename = s.entries.filter((e) => e.key === 'filename').pop()?.value;
    const chunked = /^(true|1|t|yes)$/i.test(s.entries.filter((e) => e.key === 'chunked').pop()?.value ?? '');
    if (!filename || filename.endsWith('.py') || filename.endsWith('.path')) continue;
    out.add(`bin/${filename}`);
    // The bundled Node runtimes the launcher execs (docs/runtime.md).
    for (const arch of RUNTIME_ARCHS) out.add(`bin/${filename}-${arch}`);
    if (chunked) for (const p of PLATFORMS) out.add(`${p}/bin/${filename}`);
  }
  return out;
}

function skipReason(rel: string): string | null {
  const parts = rel.split('/');
  if (parts.some((p) => p.startsWith('.'))) return 'dotfile';
  if (parts.some((p) => p === '__MACOSX')) return '__MACOSX';
  if (parts[0] === 'local' || parts.includes('local')) return 'local/ directory';
  if (parts[parts.length - 1] === 'local.meta') return 'local.meta';
  if (/\.py[co]$/.test(rel)) return 'compiled Python';
  // The user's allowlist rows (src/command/allowlist-file.ts): an upgrade must never carry one.
  if (/^lookups\/[^/]*_local\.csv$/.test(rel)) return "user lookup (the site's own rows)";
  return null;
}

function walk(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = base ? `${base}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...walk(path.join(dir, ent.name), rel));
    else if (ent.isFile()) out.push(rel);
  }
  return out;
}

export function stageApp(root: string): Staged {
  const id = readAppId(root);
  const version = readPackageVersion(root);
  const commandsPath = path.join(root, 'default', 'commands.conf');
  const execs = executablePaths(fs.existsSync(commandsPath) ? fs.readFileSync(commandsPath, 'utf8') : undefined);
  const files = new Map<string, StagedFile>();
  const skipped: string[] = [];
  const add = (src: string, rel: string) => {
    const why = skipReason(rel);
    if (why) {
      skipped.push(`${path.relative(root, src)} (${why})`);
      return;
    }
    if (files.has(rel)) throw new Error(`two sources map to ${rel} in the app (second: ${path.relative(root, src)})`);
    files.set(rel, { rel, data: fs.readFileSync(src), mode: execs.has(rel) ? 0o755 : 0o644 });
  };
  for (const [from, to] of SOURCES) {
    const dir = path.join(root, from);
    if (!fs.existsSync(dir)) continue;
    for (const f of walk(dir)) add(path.join(dir, f), to ? `${to}/${f}` : f);
  }
  for (const [from, to] of EXTRA_FILES) {
    const src = path.join(root, from);
    if (fs.existsSync(src)) add(src, to);
  }
  const sorted = [...files.values()].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { id, version, files: sorted, skipped };
}

/** Tar entries for a staged app: directories (0755) before their files, all under `<id>/`. */
export function tarEntries(staged: Staged): { path: string; mode: number; data?: Buffer }[] {
  const dirs = new Set<string>([`${staged.id}/`]);
  for (const f of staged.files) {
    const parts = f.rel.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(`${staged.id}/${parts.slice(0, i).join('/')}/`);
  }
  const entries: { path: string; mode: number; data?: Buffer }[] = [];
  const sortedDirs = [...dirs].sort();
  for (const d of sortedDirs) {
    entries.push({ path: d, mode: 0o755 });
    for (const f of staged.files) {
      const full = `${staged.id}/${f.rel}`;
      if (full.slice(0, full.lastIndexOf('/') + 1) === d) entries.push({ path: full, mode: f.mode, data: f.data });
    }
  }
  return entries;
}
