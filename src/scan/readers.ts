/**
 * File readers for the offline scanner: turn raw log files into Splunk-like events (field maps with `_raw`,
 * `sourcetype`, `source`, `host`, `_time`) — the same shape `| t1612score` receives from splunkd.
 * auditd RAW/ENRICHED records are grouped by host + `msg=audit(<time>:<serial>)` into one event.
 */
import * as path from 'path';
import { parseTable } from '../scp/csv';
import { parseAuditRecord, auditEpoch } from '../telemetry/auditd';
import { syslogHost } from '../telemetry/sudo';

export interface ScanEvent {
  fields: Record<string, string>;
  /** Epoch seconds (NaN when unknown). */
  time: number;
  /** `file:line` of the event's first line. */
  origin: string;
}

export interface ReadStats {
  lines: number;
  skipped: number;
}

export type Sink = (e: ScanEvent) => void;

const SYSMON_WIN_SOURCE = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';
const SYSMON_LINUX_SOURCE = 'Syslog:Linux-Sysmon/Operational';

export function parseTime(v: string | number | undefined): number {
  if (v === undefined || v === '') return NaN;
  if (typeof v === 'number') return v > 1e12 ? v / 1000 : v;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const t = Date.parse(v.indexOf('T') < 0 && /^\d{4}-\d\d-\d\d \d/.test(v) ? v.replace(' ', 'T') + 'Z' : v);
  return Number.isNaN(t) ? NaN : t / 1000;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';
const RFC3164_TIME = /^(?:<\d+>)?([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d) /;
const RFC3339_TIME = /^(?:<\d+>)?(?:1 )?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) /;

function syslogTime(line: string, year: number): number {
  const a = RFC3339_TIME.exec(line);
  if (a) return parseTime(a[1]);
  const b = RFC3164_TIME.exec(line);
  if (b) {
    const mon = MONTHS.indexOf(b[1]) / 3;
    const [h, m, s] = b[3].split(':').map(Number);
    return Date.UTC(year, mon, Number(b[2]), h, m, s) / 1000;
  }
  return NaN;
}

function isSyslog(line: string): boolean {
  return RFC3339_TIME.test(line) || RFC3164_TIME.test(line);
}

function sysmonEvent(xml: string, origin: string, extra: Record<string, string> = {}): ScanEvent {
  const linux = xml.indexOf('Linux-Sysmon') >= 0;
  const fields: Record<string, string> = linux
    ? { _raw: xml, sourcetype: 'sysmon:linux', source: SYSMON_LINUX_SOURCE }
    : { _raw: xml, sourcetype: 'xmlwineventlog', source: SYSMON_WIN_SOURCE };
  const host = /<Computer>([^<]*)<\/Computer>/.exec(xml)?.[1];
  if (host) fields.host = host;
  const t = parseTime(/SystemTime=['"]([^'"]+)['"]/.exec(xml)?.[1]);
  Object.assign(fields, extra);
  if (!Number.isNaN(t)) fields._time = String(t);
  return { fields, time: t, origin };
}

/** Line-oriented logs: auditd RAW/ENRICHED, ausearch -i, syslog/auth.log, dockerd logrus, Sysmon XML per line. */
function readLines(text: string, file: string, sink: Sink, stats: ReadStats, progress?: (lines: number) => void): void {
  const year = new Date().getUTCFullYear();
  const audit = new Map<string, { lines: string[]; node?: string; id: string; origin: string }>();
  let block: { lines: string[]; origin: string } | null = null;
  const flushBlock = () => {
    if (block && block.lines.length > 0) {
      const rec = parseAuditRecord(block.lines[0]);
      const fields: Record<string, string> = { _raw: block.lines.join('\n'), sourcetype: 'auditd', source: file };
      if (rec?.node) fields.host = rec.node;
      const t = rec ? (auditEpoch(rec.id) ?? NaN) : NaN;
      if (!Number.isNaN(t)) fields._time = String(t);
      sink({ fields, time: t, origin: block.origin });
    }
    block = null;
  };
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    let line = text.slice(start, nl);
    start = nl + 1;
    lineNo++;
    stats.lines++;
    if (progress && (lineNo & 0x3ffff) === 0) progress(lineNo);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const origin = `${file}:${lineNo}`;
    if (line.trim() === '') continue;
    if (line.startsWith('----')) {
      flushBlock();
      block = { lines: [], origin: `${file}:${lineNo + 1}` };
      continue;
    }
    if (line.startsWith('type=') || line.startsWith('node=')) {
      const rec = parseAuditRecord(line);
      if (!rec) {
        stats.skipped++;
        continue;
      }
      if (rec.interpreted && block) {
        block.lines.push(line);
        continue;
      }
      const key = (rec.node ?? '') + '|' + rec.id;
      const g = audit.get(key);
      if (g) g.lines.push(line);
      else audit.set(key, { lines: [line], node: rec.node, id: rec.id, origin });
      continue;
    }
    flushBlock();
    if (line.startsWith('<Event')) {
      sink(sysmonEvent(line, origin));
      continue;
    }
    if (line.startsWith('time="')) {
      const t = parseTime(/^time="([^"]+)"/.exec(line)?.[1]);
      const fields: Record<string, string> = { _raw: line, sourcetype: 'docker', source: file };
      if (!Number.isNaN(t)) fields._time = String(t);
      sink({ fields, time: t, origin });
      continue;
    }
    if (isSyslog(line)) {
      const t = syslogTime(line, year);
      const host = syslogHost(line);
      const fields: Record<string, string> = {
        _raw: line,
        sourcetype:
          line.indexOf('sudo') >= 0 || line.indexOf(' su[') >= 0 || line.indexOf('sshd[') >= 0
            ? 'linux_secure'
            : 'syslog',
        source: file,
      };
      if (host) fields.host = host;
      if (!Number.isNaN(t)) fields._time = String(t);
      sink({ fields, time: t, origin });
      continue;
    }
    stats.skipped++;
  }
  flushBlock();
  for (const g of audit.values()) {
    const fields: Record<string, string> = { _raw: g.lines.join('\n'), sourcetype: 'linux:audit', source: file };
    if (g.node) fields.host = g.node;
    const t = auditEpoch(g.id) ?? NaN;
    if (!Number.isNaN(t)) fields._time = String(t);
    sink({ fields, time: t, origin: g.origin });
  }
}

function flatten(obj: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n');
  }
  return out;
}

/** A JSON object from a Splunk export (`{"result":{…}}` or flat) or another JSON log export. */
function jsonEvent(obj: Record<string, unknown>, origin: string, file: string): ScanEvent {
  let inner =
    obj.result && typeof obj.result === 'object' && !Array.isArray(obj.result)
      ? (obj.result as Record<string, unknown>)
      : obj;
  const ev = inner.Event as Record<string, unknown> | undefined;
  if (ev && typeof ev === 'object' && ev.EventData && typeof ev.EventData === 'object') {
    // evtx-to-JSON rendering ({"Event":{"System":{…},"EventData":{…}}}): EventData names plus System's id and host.
    const sys = (ev.System ?? {}) as Record<string, unknown>;
    inner = {
      ...(ev.EventData as Record<string, unknown>),
      EventID: sys.EventID,
      Computer: sys.Computer,
      Channel: sys.Channel,
    };
    const tc = sys.TimeCreated as Record<string, Record<string, unknown>> | undefined;
    if (tc?.['#attributes']?.SystemTime) inner.TimeCreated = tc['#attributes'].SystemTime;
  }
  const fields = flatten(inner);
  if (fields._raw === undefined) {
    for (const k of ['SyslogMessage', 'message', 'Message', 'log', 'MESSAGE']) {
      const v = fields[k];
      if (v !== undefined && (v.indexOf('<Event') >= 0 || k !== 'Message')) {
        fields._raw = v;
        break;
      }
    }
  }
  if (fields.sourcetype === undefined) {
    const raw = fields._raw ?? '';
    if (raw.indexOf('<Event') >= 0) {
      const linux = raw.indexOf('Linux-Sysmon') >= 0;
      fields.sourcetype = linux ? 'sysmon:linux' : 'xmlwineventlog';
      fields.source ??= linux ? SYSMON_LINUX_SOURCE : SYSMON_WIN_SOURCE;
    } else if (
      (fields.EventID !== undefined || fields.EventCode !== undefined) &&
      (fields.Image !== undefined || fields.CommandLine !== undefined)
    ) {
      const linux = fields.Image?.startsWith('/') ?? false;
      fields.sourcetype = linux ? 'sysmon:linux' : 'xmlwineventlog';
      fields.source ??= linux ? SYSMON_LINUX_SOURCE : SYSMON_WIN_SOURCE;
      fields.EventCode ??= fields.EventID;
    }
  }
  fields.source ??= file;
  fields.host ??= fields.HostName ?? fields.Hostname ?? fields.Computer ?? fields.hostname ?? '';
  if (fields.host === '') delete fields.host;
  const t = parseTime(
    fields._time ?? fields.TimeGenerated ?? fields['@timestamp'] ?? fields.TimeCreated ?? fields.UtcTime,
  );
  if (!Number.isNaN(t)) fields._time = String(t);
  return { fields, time: t, origin };
}

function readJson(text: string, file: string, sink: Sink, stats: ReadStats): void {
  const trimmed = text.trimStart();
  if (
    trimmed.startsWith('[') ||
    (trimmed.startsWith('{') && text.trim().indexOf('\n') < 0) ||
    /^\{\s*\n/.test(trimmed)
  ) {
    try {
      const doc = JSON.parse(text) as unknown;
      const items = Array.isArray(doc) ? doc : [doc];
      stats.lines += text.split('\n').length;
      items.forEach((o, i) => {
        if (o && typeof o === 'object' && !Array.isArray(o))
          sink(jsonEvent(o as Record<string, unknown>, `${file}#${i + 1}`, file));
        else stats.skipped++;
      });
      return;
    } catch {
      /* not one document: JSON lines below */
    }
  }
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    stats.lines++;
    if (line.trim() === '') continue;
    try {
      const o = JSON.parse(line) as unknown;
      if (o && typeof o === 'object' && !Array.isArray(o))
        sink(jsonEvent(o as Record<string, unknown>, `${file}:${lineNo}`, file));
      else stats.skipped++;
    } catch {
      stats.skipped++;
    }
  }
}

function readCsv(text: string, file: string, sink: Sink, stats: ReadStats): void {
  const table = parseTable(text);
  stats.lines += table.rows.length + 1;
  table.rows.forEach((row, i) => {
    const fields: Record<string, string> = {};
    table.fields.forEach((f, j) => {
      if (row[j] !== '' && !f.startsWith('__mv_')) fields[f] = row[j];
    });
    const t = parseTime(fields._time);
    if (!Number.isNaN(t)) fields._time = String(t);
    sink({ fields, time: t, origin: `${file}:${i + 2}` });
  });
}

function readXmlDocument(text: string, file: string, sink: Sink, stats: ReadStats): void {
  // Split at each <Event …> start (not at </Event>): an event cut short must not swallow the next one.
  const starts: number[] = [];
  const re = /<Event[\s>]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index);
  starts.forEach((st, i) => {
    let chunk = text.slice(st, i + 1 < starts.length ? starts[i + 1] : text.length);
    const end = chunk.lastIndexOf('</Events>');
    if (end >= 0) chunk = chunk.slice(0, end);
    sink(sysmonEvent(chunk.trim().replace(/>\s*\n\s*</g, '><'), `${file}#${i + 1}`));
  });
  stats.lines += text.split('\n').length;
  if (starts.length === 0) stats.skipped += 1;
}

/** Reads one file's text into events; format chosen from the extension and the first bytes. */
export function readText(
  text: string,
  file: string,
  sink: Sink,
  stats: ReadStats,
  progress?: (lines: number) => void,
): void {
  const ext = path.extname(file).toLowerCase();
  const head = text.slice(0, 512).trimStart();
  if (ext === '.csv') return readCsv(text, file, sink, stats);
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson' || head.startsWith('{') || head.startsWith('['))
    return readJson(text, file, sink, stats);
  if (head.startsWith('<?xml') || head.startsWith('<Events')) return readXmlDocument(text, file, sink, stats);
  return readLines(text, file, sink, stats, progress);
}
