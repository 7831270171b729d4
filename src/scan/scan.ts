/**
 * `t1612 scan <file|dir>...`: the detection without Splunk. Reads raw logs into Splunk-like events
 * (src/scan/readers.ts), joins parent command lines by ppid, scores the events through THE SAME stream
 * scorer as `| t1612score` (src/scan/score.ts), and prints the seed's table grouped per build incident.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ScanRow, scoreEvents } from './score';
import { normaliseEvent } from '../telemetry/normalise';
import { SEED_THRESHOLD } from '../detection/seed';
import { serializeRow } from '../scp/csv';
import { readFile, ReadStats, ScanEvent } from './readers';
import { LineReaderOptions } from './lines';

export const TABLE_FIELDS = [
  '_time',
  'host',
  'user',
  'CommandLine',
  'ParentCommandLine',
  'from_temp',
  'no_cache',
  'external_file',
  'suspicious_parent',
  'risk_score',
  'alert_detail',
] as const;

export interface ScanOptions {
  format: 'table' | 'json' | 'csv';
  minScore: number;
  mode: 'default' | 'seed';
  failOnAlert: boolean;
}

export type { ScanRow } from './score';

export interface Collected {
  events: ScanEvent[];
  stats: ReadStats & {
    files: number;
    ignored: string[];
    /** Inputs skipped with a warning: unreadable files, dangling links, symlink loops. */
    unreadable: string[];
    /** Lines dropped for being longer than the line cap. */
    overlong: number;
  };
}

const IGNORED_EXT = new Set(['.md', '.yml', '.yaml', '.evtx', '.gz', '.zip', '.png', '.jpg', '.pdf', '.tar']);

export class InputError extends Error {}

/** Exit status when some inputs or lines were skipped (the results cover the rest). */
export const EXIT_PARTIAL = 3;

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory (dangling link?)';
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (e as Error).message;
}

/**
 * Files under the inputs, sorted per directory, without recursion (an explicit stack). A named input that
 * does not exist is an InputError; anything else that cannot be read (permissions, dangling links,
 * symlink loops, a directory reached twice through links) is skipped and listed in `unreadable`.
 */
function listFiles(inputs: string[], out: string[], ignored: string[], unreadable: string[]): void {
  const seenDirs = new Set<string>();
  const stack: { p: string; explicit: boolean }[] = inputs.map((p) => ({ p, explicit: true })).reverse();
  while (stack.length > 0) {
    const { p, explicit } = stack.pop()!;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      if (explicit && (e as NodeJS.ErrnoException).code === 'ENOENT' && !isLink(p))
        throw new InputError(`cannot read ${p}: no such file or directory`);
      unreadable.push(`${p} (${reason(e)})`);
      continue;
    }
    if (st.isDirectory()) {
      const key = `${st.dev}:${st.ino}`;
      if (seenDirs.has(key)) {
        unreadable.push(`${p} (symlink loop: directory already scanned)`);
        continue;
      }
      seenDirs.add(key);
      let names: string[];
      try {
        names = fs.readdirSync(p).sort();
      } catch (e) {
        unreadable.push(`${p} (${reason(e)})`);
        continue;
      }
      for (let i = names.length - 1; i >= 0; i--)
        if (!names[i].startsWith('.')) stack.push({ p: path.join(p, names[i]), explicit: false });
    } else if (st.isFile()) {
      if (
        !explicit &&
        (IGNORED_EXT.has(path.extname(p).toLowerCase()) || /^(PROVENANCE|README|LICENSE)/i.test(path.basename(p)))
      )
        ignored.push(p);
      else out.push(p);
    }
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Reads every input into events, streaming each file. `progress` gets a line on big inputs. */
export function collectEvents(
  inputs: string[],
  progress: (msg: string) => void = () => undefined,
  lineOptions: LineReaderOptions = {},
): Collected {
  const files: string[] = [];
  const ignored: string[] = [];
  const unreadable: string[] = [];
  listFiles(inputs, files, ignored, unreadable);
  const events: ScanEvent[] = [];
  const stats = { lines: 0, skipped: 0, files: 0, ignored, unreadable, overlong: 0 };
  const sizes = files.map((f) => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  });
  const big = sizes.reduce((n, x) => n + x, 0) > 20 * 1024 * 1024;
  files.forEach((f, i) => {
    if (big) progress(`scan: reading ${f} (${(sizes[i] / 1048576).toFixed(1)} MiB)`);
    try {
      const r = readFile(
        f,
        (e) => events.push(e),
        stats,
        big ? (n) => progress(`scan: ${f}: ${n} lines`) : undefined,
        lineOptions,
      );
      if (r.binary) ignored.push(f + ' (binary)');
      else stats.files++;
      stats.overlong += r.overlong;
    } catch (e) {
      unreadable.push(`${f} (${reason(e)})`);
    }
  });
  return { events, stats };
}

function getter(fields: Record<string, string>): (name: string) => string | undefined {
  return (name) => {
    const v = fields[name];
    return v === undefined || v === '' ? undefined : v;
  };
}

/**
 * Sets `parent_process` on events whose parent's command line is in the data: the latest process event of
 * the same host with pid = this event's ppid, at or before this event (pids are reused after exit and exec).
 */
export function joinParents(events: ScanEvent[]): number {
  const byPid = new Map<string, { time: number; process: string }[]>();
  const norm = events.map((e) => normaliseEvent(getter(e.fields)));
  norm.forEach((n, i) => {
    if (n.event_kind !== 'process' || !n.process || !n.process_id) return;
    const key = (events[i].fields.host ?? '') + '|' + n.process_id;
    const list = byPid.get(key) ?? [];
    list.push({ time: events[i].time, process: n.process });
    byPid.set(key, list);
  });
  for (const list of byPid.values()) list.sort((a, b) => a.time - b.time);
  let joined = 0;
  norm.forEach((n, i) => {
    const e = events[i];
    if (n.parent_process || !n.parent_process_id) return;
    const list = byPid.get((e.fields.host ?? '') + '|' + n.parent_process_id);
    if (!list) return;
    const best = latestAtOrBefore(list, e.time);
    if (best !== undefined) {
      e.fields.parent_process = best;
      joined++;
    }
  });
  return joined;
}

/**
 * The process of the last entry (sorted by time) at or before `t`, as a linear walk that stops at the
 * first later entry would find it; a binary search, so many events of one reused pid stay O(n log n).
 */
function latestAtOrBefore(list: { time: number; process: string }[], t: number): string | undefined {
  if (Number.isNaN(t) || Number.isNaN(list[0].time)) return list[list.length - 1].process;
  // entries with NaN time sort last: only a NaN entry can follow numeric ones
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const pt = list[mid].time;
    if (Number.isNaN(pt) || pt <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1].process : undefined;
}

function isoTime(t: number): string {
  return Number.isNaN(t) ? '' : new Date(t * 1000).toISOString();
}

function tableRow(r: ScanRow): Record<string, string> {
  const o: Record<string, string> = {};
  for (const f of TABLE_FIELDS)
    o[f] =
      f === '_time' ? isoTime(r.time) : f === 'host' ? (r.fields.host ?? r.fields.dest ?? '') : (r.fields[f] ?? '');
  return o;
}

/** Writes the aligned table line by line (no recursion, no argument spreading: any number of rows). */
function writeTable(rows: Record<string, string>[], fields: readonly string[], write: (s: string) => void): void {
  const cap = (s: string) => (s.length > 120 ? s.slice(0, 119) + '…' : s);
  const cells = rows.map((r) => fields.map((f) => cap((r[f] ?? '').replace(/\s*\n\s*/g, ' '))));
  const widths = fields.map((f) => f.length);
  for (const c of cells) for (let i = 0; i < c.length; i++) if (c[i].length > widths[i]) widths[i] = c[i].length;
  const line = (vals: readonly string[]) =>
    vals
      .map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd() + '\n';
  write(line(fields) + line(widths.map((w) => '-'.repeat(w))));
  let buf = '';
  for (const c of cells) {
    buf += line(c);
    if (buf.length > 1 << 20) {
      write(buf);
      buf = '';
    }
  }
  if (buf !== '') write(buf);
}

/**
 * Rows of one incident together: when rows carry `t1612_incident`, groups are ordered by their highest
 * risk_score then latest time, rows inside a group by -risk_score, -_time; rows without it form their own
 * one-row groups. Without any incident key the order is unchanged.
 */
export function groupByIncident(rows: ScanRow[]): ScanRow[] {
  if (!rows.some((r) => (r.fields.t1612_incident ?? '') !== '')) return rows;
  const groups = new Map<string, ScanRow[]>();
  rows.forEach((r, i) => {
    const key = r.fields.t1612_incident || `\u0000${i}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  });
  // rows arrive sorted -risk_score, -_time: a group's first row is its best
  return [...groups.values()]
    .sort((a, b) => b[0].risk_score - a[0].risk_score || (b[0].time || 0) - (a[0].time || 0))
    .flat();
}

const USAGE = `usage: t1612 scan [options] <file|dir>...

Reads raw logs (auditd RAW/ENRICHED, ausearch -i, syslog/auth.log, dockerd, Sysmon XML, JSON lines or CSV
exported from Splunk) and prints the docker builds found, scored as | t1612score scores them.

options:
  --json            one JSON array of result rows on stdout
  --csv             CSV on stdout
  --min-score N     only rows with risk_score >= N (default 0: every build)
  --mode seed       score with the seed's SPL literally instead of the normalised default
  --fail-on-alert   exit 1 when a build scores >= ${SEED_THRESHOLD} (the seed's alert threshold)
  -h, --help        this text
`;

export function parseScanArgs(argv: string[]): { options: ScanOptions; inputs: string[] } | string {
  const options: ScanOptions = { format: 'table', minScore: 0, mode: 'default', failOnAlert: false };
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') options.format = 'json';
    else if (a === '--csv') options.format = 'csv';
    else if (a === '--fail-on-alert') options.failOnAlert = true;
    else if (a === '--min-score' || a.startsWith('--min-score=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || !/^\d+$/.test(v))
        return `--min-score needs a non-negative integer, got ${JSON.stringify(v ?? '')}`;
      options.minScore = Number(v);
    } else if (a === '--mode' || a.startsWith('--mode=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v !== 'seed' && v !== 'default') return `--mode must be seed or default, got ${JSON.stringify(v ?? '')}`;
      options.mode = v;
    } else if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
    else inputs.push(a);
  }
  if (inputs.length === 0) return 'no input file or directory given';
  return { options, inputs };
}

export function runScan(argv: string[]): Promise<number> {
  return Promise.resolve(scanMain(argv));
}

function scanMain(argv: string[]): number {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const parsed = parseScanArgs(argv);
  if (typeof parsed === 'string') {
    process.stderr.write(`t1612 scan: ${parsed}\n\n${USAGE}`);
    return 2;
  }
  const { options, inputs } = parsed;
  let collected: Collected;
  try {
    collected = collectEvents(inputs, (m) => process.stderr.write(m + '\n'));
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`t1612 scan: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const { events, stats } = collected;
  const joined = options.mode === 'default' ? joinParents(events) : 0;
  const scored = scoreEvents(events, options.mode);
  const unparsed = scored.filter((r) => (r.fields.t1612_source ?? '').startsWith('none:')).length;
  const builds = scored.filter((r) => r.fields.is_docker_build === '1');
  const rows = builds
    .filter((r) => r.risk_score >= options.minScore)
    .sort((a, b) => b.risk_score - a.risk_score || (b.time || 0) - (a.time || 0));
  const alerts = rows.filter((r) => r.risk_score >= SEED_THRESHOLD).length;
  const grouped = groupByIncident(rows);
  const incidents = grouped !== rows;
  const fields: readonly string[] = incidents ? ['t1612_incident', ...TABLE_FIELDS] : TABLE_FIELDS;
  const shown = (r: ScanRow): Record<string, string> => {
    const o = tableRow(r);
    if (incidents) o.t1612_incident = r.fields.t1612_incident ?? '';
    return o;
  };
  const write = (s: string) => process.stdout.write(s);
  if (options.format === 'json') {
    write('[');
    grouped.forEach((r, i) => {
      const o = {
        ...shown(r),
        t1612_source: r.fields.t1612_source ?? '',
        process_current_directory: r.fields.process_current_directory ?? '',
        origin: r.origin,
      };
      write((i === 0 ? '\n' : ',\n') + JSON.stringify(o));
    });
    write('\n]\n');
  } else if (options.format === 'csv') {
    write(serializeRow(fields));
    for (const r of grouped) {
      const o = shown(r);
      write(serializeRow(fields.map((f) => o[f])));
    }
  } else if (grouped.length > 0) writeTable(grouped.map(shown), fields, write);
  else write('no docker build found\n');
  for (const u of stats.unreadable) process.stderr.write(`t1612 scan: warning: skipped ${u}\n`);
  if (stats.overlong > 0)
    process.stderr.write(`t1612 scan: warning: skipped ${stats.overlong} line(s) longer than the line cap\n`);
  const ignored = stats.ignored.length > 0 ? `, ${stats.ignored.length} file(s) ignored` : '';
  const partial =
    stats.unreadable.length + stats.overlong > 0
      ? `, PARTIAL: ${stats.unreadable.length} input(s) unreadable, ${stats.overlong} overlong line(s)`
      : '';
  const groups = incidents
    ? `, ${new Set(grouped.map((r) => r.fields.t1612_incident || r.origin)).size} incident(s)`
    : '';
  process.stderr.write(
    `t1612 scan: ${stats.files} file(s), ${stats.lines} lines, ${events.length} events (${unparsed} with nothing derived, ${joined} parents joined), ` +
      `${builds.length} builds, ${rows.length} shown${groups}, ${alerts} alert(s) with risk_score>=${SEED_THRESHOLD}, ${stats.skipped} skipped line(s)${ignored}${partial} [mode=${options.mode}]\n`,
  );
  if (options.failOnAlert && alerts > 0) return 1;
  return partial !== '' ? EXIT_PARTIAL : 0;
}
