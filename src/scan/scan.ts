/**
 * `t1612 scan <file|dir>...`: the detection without Splunk. Reads raw logs into Splunk-like events
 * (src/scan/readers.ts), joins parent command lines by ppid, scores each event with THE SAME per-event
 * function as `| t1612score` (src/command/score-event.ts) and prints the seed's table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { scoreEvent } from '../command/score-event';
import { defaultT1612Options } from '../command/options';
import { normaliseEvent } from '../telemetry/normalise';
import { SEED_THRESHOLD } from '../detection/seed';
import { serializeRow } from '../scp/csv';
import { readText, ReadStats, ScanEvent } from './readers';

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

export interface ScanRow {
  fields: Record<string, string>;
  time: number;
  risk_score: number;
  origin: string;
}

export interface Collected {
  events: ScanEvent[];
  stats: ReadStats & { files: number; ignored: string[] };
}

const IGNORED_EXT = new Set(['.md', '.yml', '.yaml', '.evtx', '.gz', '.zip', '.png', '.jpg', '.pdf', '.tar']);

export class InputError extends Error {}

function listFiles(p: string, out: string[], ignored: string[], explicit: boolean): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch (e) {
    throw new InputError(
      `cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`,
    );
  }
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) {
      if (name.startsWith('.')) continue;
      listFiles(path.join(p, name), out, ignored, false);
    }
  } else if (st.isFile()) {
    if (
      !explicit &&
      (IGNORED_EXT.has(path.extname(p).toLowerCase()) || /^(PROVENANCE|README|LICENSE)/i.test(path.basename(p)))
    )
      ignored.push(p);
    else out.push(p);
  }
}

/** Reads every input into events. `progress` gets a line on big inputs. */
export function collectEvents(inputs: string[], progress: (msg: string) => void = () => undefined): Collected {
  const files: string[] = [];
  const ignored: string[] = [];
  for (const p of inputs) listFiles(p, files, ignored, true);
  const events: ScanEvent[] = [];
  const stats = { lines: 0, skipped: 0, files: 0, ignored };
  const total = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const big = total > 20 * 1024 * 1024;
  for (const f of files) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(f);
    } catch (e) {
      throw new InputError(`cannot read ${f}: ${(e as Error).message}`);
    }
    if (buf.subarray(0, 4096).includes(0)) {
      ignored.push(f + ' (binary)');
      continue;
    }
    stats.files++;
    if (big) progress(`scan: reading ${f} (${(buf.length / 1048576).toFixed(1)} MiB)`);
    readText(
      buf.toString('utf8'),
      f,
      (e) => events.push(e),
      stats,
      big ? (n) => progress(`scan: ${f}: ${n} lines`) : undefined,
    );
  }
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
    let best: string | undefined;
    for (const p of list) {
      if (Number.isNaN(e.time) || Number.isNaN(p.time) || p.time <= e.time) best = p.process;
      else break;
    }
    if (best !== undefined) {
      e.fields.parent_process = best;
      joined++;
    }
  });
  return joined;
}

/** Scores every event with the command's per-event function; returns all events with their output fields. */
export function scoreEvents(events: ScanEvent[], mode: ScanOptions['mode']): ScanRow[] {
  const options = defaultT1612Options(mode);
  return events.map((e) => {
    const out = { ...e.fields };
    const r = scoreEvent(getter(e.fields), options);
    // Multivalue fields keep Splunk's plain form: values joined by LF.
    for (const op of r.ops)
      out[op[0]] = op[1] === null ? (e.fields[op[2]] ?? '') : typeof op[1] === 'string' ? op[1] : op[1].join('\n');
    return { fields: out, time: e.time, risk_score: r.risk_score, origin: e.origin };
  });
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

function renderTable(rows: Record<string, string>[]): string {
  const cap = (s: string) => (s.length > 120 ? s.slice(0, 119) + '…' : s);
  const cells = rows.map((r) => TABLE_FIELDS.map((f) => cap(r[f].replace(/\s*\n\s*/g, ' '))));
  const widths = TABLE_FIELDS.map((f, i) => Math.max(f.length, ...cells.map((c) => c[i].length)));
  const line = (vals: readonly string[]) =>
    vals
      .map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd() + '\n';
  return line(TABLE_FIELDS) + line(widths.map((w) => '-'.repeat(w))) + cells.map(line).join('');
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

export async function runScan(argv: string[]): Promise<number> {
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
  if (options.format === 'json') {
    const out = rows.map((r) => ({
      ...tableRow(r),
      t1612_source: r.fields.t1612_source ?? '',
      process_current_directory: r.fields.process_current_directory ?? '',
      origin: r.origin,
    }));
    process.stdout.write(JSON.stringify(out, null, 1) + '\n');
  } else if (options.format === 'csv') {
    process.stdout.write(
      serializeRow(TABLE_FIELDS) + rows.map((r) => serializeRow(TABLE_FIELDS.map((f) => tableRow(r)[f]))).join(''),
    );
  } else {
    process.stdout.write(rows.length > 0 ? renderTable(rows.map(tableRow)) : 'no docker build found\n');
  }
  const ignored = stats.ignored.length > 0 ? `, ${stats.ignored.length} file(s) ignored` : '';
  process.stderr.write(
    `t1612 scan: ${stats.files} file(s), ${stats.lines} lines, ${events.length} events (${unparsed} with nothing derived, ${joined} parents joined), ` +
      `${builds.length} builds, ${rows.length} shown, ${alerts} alert(s) with risk_score>=${SEED_THRESHOLD}, ${stats.skipped} skipped line(s)${ignored} [mode=${options.mode}]\n`,
  );
  return options.failOnAlert && alerts > 0 ? 1 : 0;
}
