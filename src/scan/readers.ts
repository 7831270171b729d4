// size: the four format readers share the sink/stats plumbing; split per format is pending.
/**
 * File readers for the offline scanner: turn raw log files into Splunk-like events (field maps with `_raw`,
 * `sourcetype`, `source`, `host`, `_time`) — the same shape `| t1612score` receives from splunkd.
 * auditd RAW/ENRICHED records are grouped by host + `msg=audit(<time>:<serial>)` into one event.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseCsvRows } from '../scp/csv';
import { forEachLine, LineReaderOptions } from './lines';
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

/** Consumes a file line by line; `end` is called once after the last line. */
interface LineHandler {
  line(line: string): void;
  end(): void;
}

/** Line-oriented logs: auditd RAW/ENRICHED, ausearch -i, syslog/auth.log, dockerd logrus, Sysmon XML per line. */
function lineLogs(file: string, sink: Sink, stats: ReadStats, progress?: (lines: number) => void): LineHandler {
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
  const line = (text: string): void => {
    let line = text;
    lineNo++;
    stats.lines++;
    if (progress && (lineNo & 0x3ffff) === 0) progress(lineNo);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const origin = `${file}:${lineNo}`;
    if (line.trim() === '') return;
    if (line.startsWith('----')) {
      flushBlock();
      block = { lines: [], origin: `${file}:${lineNo + 1}` };
      return;
    }
    if (line.startsWith('type=') || line.startsWith('node=')) {
      const rec = parseAuditRecord(line);
      if (!rec) {
        stats.skipped++;
        return;
      }
      if (rec.interpreted && block) {
        block.lines.push(line);
        return;
      }
      const key = (rec.node ?? '') + '|' + rec.id;
      const g = audit.get(key);
      if (g) g.lines.push(line);
      else audit.set(key, { lines: [line], node: rec.node, id: rec.id, origin });
      return;
    }
    flushBlock();
    if (line.startsWith('<Event')) {
      sink(sysmonEvent(line, origin));
      return;
    }
    if (line.startsWith('time="')) {
      const t = parseTime(/^time="([^"]+)"/.exec(line)?.[1]);
      const fields: Record<string, string> = { _raw: line, sourcetype: 'docker', source: file };
      if (!Number.isNaN(t)) fields._time = String(t);
      sink({ fields, time: t, origin });
      return;
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
      return;
    }
    stats.skipped++;
  };
  const end = (): void => {
    flushBlock();
    for (const g of audit.values()) {
      const fields: Record<string, string> = { _raw: g.lines.join('\n'), sourcetype: 'linux:audit', source: file };
      if (g.node) fields.host = g.node;
      const t = auditEpoch(g.id) ?? NaN;
      if (!Number.isNaN(t)) fields._time = String(t);
      sink({ fields, time: t, origin: g.origin });
    }
  };
  return { line, end };
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

/** A whole JSON document (array or one object): only for files up to DOC_LIMIT bytes. */
function readJsonDocument(text: string, file: string, sink: Sink, stats: ReadStats): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch {
    return false;
  }
  const items = Array.isArray(doc) ? doc : [doc];
  stats.lines += text.split('\n').length;
  items.forEach((o, i) => {
    if (o && typeof o === 'object' && !Array.isArray(o))
      sink(jsonEvent(o as Record<string, unknown>, `${file}#${i + 1}`, file));
    else stats.skipped++;
  });
  return true;
}

/** JSON lines; also a pretty array of one object per line (`[` `{…},` `]`), as Splunk exports it. */
function jsonLines(file: string, sink: Sink, stats: ReadStats): LineHandler {
  let lineNo = 0;
  return {
    line(text: string) {
      lineNo++;
      stats.lines++;
      let line = text.trim();
      if (line.startsWith('[')) line = line.slice(1).trimStart();
      if (line.endsWith(']')) line = line.slice(0, -1).trimEnd();
      if (line.endsWith(',')) line = line.slice(0, -1);
      if (line === '') return;
      try {
        const o = JSON.parse(line) as unknown;
        if (o && typeof o === 'object' && !Array.isArray(o))
          sink(jsonEvent(o as Record<string, unknown>, `${file}:${lineNo}`, file));
        else stats.skipped++;
      } catch {
        stats.skipped++;
      }
    },
    end() {},
  };
}

/** CSV exported from Splunk: one record per line, or several lines while a quoted value is open. */
function csvRecords(file: string, sink: Sink, stats: ReadStats): LineHandler {
  let header: string[] | undefined;
  let pending: string[] = [];
  let quotes = 0;
  let lineNo = 0;
  let recordLine = 1;
  const record = (text: string): void => {
    let rows: string[][];
    try {
      rows = parseCsvRows(text);
    } catch {
      stats.skipped++;
      return;
    }
    const row = rows[0] ?? [];
    if (!header) {
      header = row.map((h, i) => (i === 0 && h.charCodeAt(0) === 0xfeff ? h.slice(1) : h));
      return;
    }
    const fields: Record<string, string> = {};
    header.forEach((f, j) => {
      const v = row[j] ?? '';
      if (v !== '' && !f.startsWith('__mv_')) fields[f] = v;
    });
    const t = parseTime(fields._time);
    if (!Number.isNaN(t)) fields._time = String(t);
    sink({ fields, time: t, origin: `${file}:${recordLine}` });
  };
  return {
    line(text: string) {
      lineNo++;
      stats.lines++;
      if (pending.length === 0) recordLine = lineNo;
      pending.push(text);
      for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) quotes++;
      if (quotes % 2 === 1) return;
      const rec = pending.join('\n');
      pending = [];
      quotes = 0;
      if (rec.trim() !== '') record(rec.endsWith('\r') ? rec.slice(0, -1) : rec);
    },
    end() {
      if (pending.length > 0) stats.skipped++;
    },
  };
}

/** `>` + whitespace holding a line break + `<` → `><` (one pass; the regex form was quadratic). */
export function joinXmlLines(s: string): string {
  let out = '';
  let from = 0;
  for (let i = s.indexOf('>'); i >= 0 && i < s.length; i = s.indexOf('>', i + 1)) {
    let j = i + 1;
    let nl = false;
    for (; j < s.length; j++) {
      const c = s[j];
      if (c === '\n') nl = true;
      else if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\f' && c !== '\v') break;
    }
    if (nl && s[j] === '<') {
      out += s.slice(from, i + 1);
      from = j;
    }
    i = j - 1;
  }
  return out + s.slice(from);
}

/** An exported XML document: one event from each `<Event …>` start to the next (an event cut short must not swallow the next one). */
function xmlEvents(file: string, sink: Sink, stats: ReadStats): LineHandler {
  let current: string[] | undefined;
  let count = 0;
  const flush = (): void => {
    if (!current) return;
    let chunk = current.join('\n');
    const end = chunk.lastIndexOf('</Events>');
    if (end >= 0) chunk = chunk.slice(0, end);
    count++;
    sink(sysmonEvent(joinXmlLines(chunk.trim()), `${file}#${count}`));
    current = undefined;
  };
  const re = /<Event[\s>]/g;
  return {
    line(text: string) {
      stats.lines++;
      let from = 0;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (current) current.push(text.slice(from, m.index));
        flush();
        current = [];
        from = m.index;
      }
      if (current) current.push(text.slice(from));
    },
    end() {
      flush();
      if (count === 0) stats.skipped += 1;
    },
  };
}

/** Files up to this size that hold one JSON document are parsed whole; bigger ones as JSON lines. */
export const DOC_LIMIT = 64 * 1024 * 1024;

export interface FileReadResult {
  binary: boolean;
  /** Lines dropped for being longer than the line cap. */
  overlong: number;
}

/**
 * Reads one file into events, streaming it line by line (never the whole file as one string, except a
 * JSON document up to DOC_LIMIT). Format from the extension and the first bytes. Throws on I/O errors.
 */
export function readFile(
  file: string,
  sink: Sink,
  stats: ReadStats,
  progress?: (lines: number) => void,
  options: LineReaderOptions = {},
): FileReadResult {
  const fd = fs.openSync(file, 'r');
  try {
    const probe = Buffer.alloc(4096);
    const got = fs.readSync(fd, probe, 0, probe.length, 0);
    if (probe.subarray(0, got).includes(0)) return { binary: true, overlong: 0 };
    const size = fs.fstatSync(fd).size;
    const ext = path.extname(file).toLowerCase();
    const head = probe
      .subarray(0, got)
      .toString('utf8')
      .slice(0, 512)
      .replace(/^\ufeff/, '')
      .trimStart();
    let handler: LineHandler;
    if (ext === '.csv') handler = csvRecords(file, sink, stats);
    else if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson' || head.startsWith('{') || head.startsWith('[')) {
      if (size <= DOC_LIMIT && (head.startsWith('[') || head.startsWith('{'))) {
        const text = fs.readFileSync(fd, 'utf8');
        const trimmed = text.trimStart();
        const oneDoc =
          trimmed.startsWith('[') ||
          (trimmed.startsWith('{') && text.trim().indexOf('\n') < 0) ||
          /^\{[ \t\r]*\n/.test(trimmed);
        if (oneDoc && readJsonDocument(text, file, sink, stats)) return { binary: false, overlong: 0 };
        const h = jsonLines(file, sink, stats);
        for (const line of text.split('\n')) h.line(line);
        return { binary: false, overlong: 0 };
      }
      handler = jsonLines(file, sink, stats);
    } else if (head.startsWith('<?xml') || head.startsWith('<Events')) handler = xmlEvents(file, sink, stats);
    else handler = lineLogs(file, sink, stats, progress);
    const counts = forEachLine(fd, (l) => handler.line(l), options);
    handler.end();
    return { binary: false, overlong: counts.overlong };
  } finally {
    fs.closeSync(fd);
  }
}
