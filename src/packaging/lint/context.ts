/**
 * What every lint check sees: the package as uploaded (name, bytes), its tar entries, the app's files by
 * path inside the app folder, and the parsed default/*.conf and metadata/default.meta.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfFile, parseConf } from '../conf';
import { readTgz, TarEntry } from '../tar';

export type Severity = 'fail' | 'warn';

export interface Finding {
  check: string;
  severity: Severity;
  message: string;
}

export interface LintOptions {
  /** Folder with Splunk's *.spec and searchbnf.conf (test/fixtures/splunk-spec). */
  specDir: string;
  /** package.json version, when known: app.conf and app.manifest must agree with it. */
  expectedVersion?: string;
}

/** One tar entry with the path forms the checks use. */
export interface Item {
  entry: TarEntry;
  /** Path in the archive without a leading "./". */
  p: string;
  /** Its components (no trailing empty one for directories). */
  parts: string[];
  /** Path inside the app folder. */
  rel: string;
}

export interface LintContext {
  opts: LintOptions;
  pkgName: string;
  raw: Buffer;
  /** Why the archive could not be read; the other fields are then empty. */
  archiveError?: string;
  items: Item[];
  tops: Set<string>;
  top: string;
  /** Regular files by path inside the app. */
  files: Map<string, TarEntry>;
  /** Parsed default/*.conf and metadata/default.meta, by path inside the app. */
  confs: Map<string, ConfFile>;
}

export interface Report {
  fail(message: string): void;
  warn(message: string): void;
}

/** One AppInspect-style rule: its name, what it verifies, and the function that checks it. */
export interface Check {
  name: string;
  description: string;
  /** Runs even when the archive cannot be read. */
  archiveLevel?: boolean;
  run(ctx: LintContext, report: Report): void;
}

export function text(ctx: LintContext, rel: string): string | undefined {
  return ctx.files.get(rel)?.data.toString('utf8');
}

export function appConf(ctx: LintContext): ConfFile | undefined {
  return ctx.confs.get('default/app.conf');
}

export function loadContext(tgzPath: string, opts: LintOptions): LintContext {
  const raw = fs.readFileSync(tgzPath);
  const ctx: LintContext = {
    opts,
    pkgName: path.basename(tgzPath),
    raw,
    items: [],
    tops: new Set(),
    top: '',
    files: new Map(),
    confs: new Map(),
  };
  let entries: TarEntry[];
  try {
    entries = readTgz(raw);
  } catch (e) {
    ctx.archiveError = (e as Error).message;
    return ctx;
  }
  if (!entries.length) {
    ctx.archiveError = 'archive is empty';
    return ctx;
  }
  for (const entry of entries) {
    const p = entry.path.replace(/^\.\//, '');
    const rel = p.split('/').slice(1).join('/').replace(/\/$/, '');
    ctx.items.push({ entry, p, parts: p.replace(/\/$/, '').split('/'), rel });
    ctx.tops.add(p.split('/')[0]);
    if (entry.type === 'file') ctx.files.set(rel, entry);
  }
  ctx.top = [...ctx.tops][0];
  for (const [rel, e] of ctx.files) {
    if (/^default\/[^/]+\.conf$/.test(rel) || rel === 'metadata/default.meta')
      ctx.confs.set(rel, parseConf(e.data.toString('utf8')));
  }
  return ctx;
}
