/**
 * Sysmon (Windows and Linux): EventID 1 process create, 3 network connect, 11 file create.
 * Add-on fields (CommandLine, Image, …) are used when present; otherwise `_raw` is parsed with
 * fast-xml-parser (the one-line XmlWinEventLog rendering, Sysmon for Linux's XML, also inside a syslog line).
 */
import { XMLParser } from 'fast-xml-parser';
import { FieldGetter, NormalisedEvent } from './types';
import { basename } from './util';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => name === 'Data',
});

export type SysmonData = Record<string, string>;

/** The `<Event>…</Event>` XML inside `_raw` (bare, or after a syslog header), else undefined. */
export function sysmonXml(raw: string): string | undefined {
  const start = raw.indexOf('<Event');
  if (start < 0) return undefined;
  const end = raw.lastIndexOf('</Event>');
  if (end < start) return undefined;
  return raw.slice(start, end + 8);
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (typeof v === 'object' && '#text' in (v as Record<string, unknown>))
    return String((v as Record<string, unknown>)['#text']);
  return undefined;
}

/** Parses one Sysmon event XML into a flat map: EventData names plus EventID, Computer, SystemTime, Provider. */
export function parseSysmonXml(xml: string): SysmonData | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const ev = doc.Event as Record<string, unknown> | undefined;
  if (!ev || typeof ev !== 'object') return undefined;
  const sys = (ev.System ?? {}) as Record<string, unknown>;
  const out: SysmonData = {};
  const id = text(sys.EventID);
  if (id !== undefined) out.EventID = id.trim();
  const computer = text(sys.Computer);
  if (computer) out.Computer = computer;
  const tc = sys.TimeCreated as Record<string, unknown> | undefined;
  if (tc && typeof tc === 'object' && typeof tc['@_SystemTime'] === 'string') out.SystemTime = tc['@_SystemTime'];
  const prov = sys.Provider as Record<string, unknown> | undefined;
  if (prov && typeof prov === 'object' && typeof prov['@_Name'] === 'string') out.Provider = prov['@_Name'];
  const data = ((ev.EventData ?? {}) as Record<string, unknown>).Data;
  if (Array.isArray(data)) {
    for (const d of data) {
      if (!d || typeof d !== 'object') continue;
      const name = (d as Record<string, unknown>)['@_Name'];
      if (typeof name !== 'string') continue;
      out[name] = text(d) ?? '';
    }
  }
  return out;
}

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decodeEntities(v: string): string {
  return v.indexOf('&') < 0 ? v : v.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITY[e]);
}

/** The EventData names sysmonToCim reads, by length (an element's name is compared in place, never cut out). */
const WANTED = [
  'Image',
  'ProcessId',
  'User',
  'CommandLine',
  'CurrentDirectory',
  'ParentCommandLine',
  'ParentImage',
  'ParentProcessId',
  'DestinationIp',
  'DestinationPort',
  'DestinationHostname',
  'TargetFilename',
];
const NAMES = WANTED.join('|');
/**
 * A wanted element's start tag and the plain text after it (up to `<`, or `&` which needs decoding); then
 * up to two more wanted elements right after it, plain values ending at `</Data>` (Sysmon writes ProcessId
 * and Image, CommandLine…User, ParentProcessId…ParentCommandLine side by side: 3 matches an event, not 8).
 * `q` is the attribute quote as the text holds it (`"`, or `""` in a CSV field's escaped text).
 */
function wantedData(q: string): RegExp {
  const tag = `<Data Name=(?:${q}(${NAMES})${q}|'(${NAMES})')`;
  const next = `</Data>${tag}>([^<&]*)(?=</Data>)`;
  return new RegExp(`${tag}(?:>([^<&]*)(?:${next}(?:${next})?)?)?`, 'g');
}
const WANTED_DATA = wantedData('"');
const WANTED_DATA_DOUBLED = wantedData('""');

function undouble(v: string): string {
  return v.indexOf('"') < 0 ? v : v.replace(/""/g, '"');
}
const DATA_END = '</Data>';

/**
 * Fast path for the regular one-line renderings (XmlWinEventLog, Sysmon for Linux): the fields sysmonToCim
 * reads from xml[from, to), found by one global regex that skips the other elements (~50x cheaper than a
 * full XML parse; the command runs on every event; a hand loop of indexOf calls cost 3x more, per-call
 * overhead). Returns undefined — full parse — for anything irregular inside a value it needs: CDATA or any
 * nested markup (`<` not opening `</Data>`), numeric character references (`&#`).
 * test/telemetry/sources.test.ts checks it against the full parse on every real sample.
 */
export function parseSysmonFast(xml: string, from = 0, to = xml.length, doubled = false): SysmonData | undefined {
  const out: SysmonData = {};
  const un = doubled ? undouble : (v: string) => v;
  const id0 = xml.indexOf('<EventID', from);
  if (id0 < 0 || id0 >= to) return undefined;
  const idStart = xml.indexOf('>', id0) + 1;
  const idEnd = xml.indexOf('</EventID>', idStart);
  if (idStart <= 0 || idEnd < 0 || idEnd >= to) return undefined;
  out.EventID = un(xml.slice(idStart, idEnd)).trim();
  const c0 = xml.indexOf('<Computer>', idEnd);
  let pos = idEnd;
  if (c0 >= 0 && c0 < to) {
    const c1 = xml.indexOf('</Computer>', c0);
    if (c1 < 0 || c1 >= to) return undefined;
    const v = un(xml.slice(c0 + 10, c1));
    if (v.indexOf('<') >= 0 || v.indexOf('&#') >= 0) return undefined;
    out.Computer = decodeEntities(v);
    pos = c1;
  }
  const re = doubled ? WANTED_DATA_DOUBLED : WANTED_DATA;
  re.lastIndex = pos;
  for (let m = re.exec(xml); m !== null && m.index < to; m = re.exec(xml)) {
    const name = m[1] ?? m[2];
    let v = m[3];
    let end = re.lastIndex;
    if (v === undefined) {
      if (xml.charCodeAt(end) === 47 /* / */ && xml.charCodeAt(end + 1) === 62 /* > */) continue; // empty element
      return undefined;
    }
    const v2 = m[6];
    if (v2 !== undefined) {
      // elements side by side, each value plain and closed by </Data> (the last one checked below)
      if (end >= to || !xml.startsWith(DATA_END, end)) return undefined;
      if (v !== '') store(out, name, un(v));
      if (v2 !== '') store(out, m[4] ?? m[5], un(v2));
      const v3 = m[9];
      if (v3 !== undefined && v3 !== '') store(out, m[7] ?? m[8], un(v3));
      continue;
    }
    if (xml.charCodeAt(end) === 38 /* & */) {
      const valueStart = end - v.length;
      end = xml.indexOf('<', end);
      if (end < 0) return undefined;
      v = un(xml.slice(valueStart, end));
      if (v.indexOf('&#') >= 0) return undefined;
      v = decodeEntities(v);
      re.lastIndex = end;
    } else if (doubled) v = undouble(v);
    if (end >= to || !xml.startsWith(DATA_END, end)) return undefined;
    if (v !== '') store(out, name, v);
  }
  return out;
}

/**
 * out[name] = v with the name a fresh string (a regex capture): a keyed store has to look the name up
 * in the string table first; comparing it with the literals and a named store is ~40% cheaper per element.
 */
function store(out: SysmonData, name: string, v: string): void {
  switch (name) {
    case 'Image':
      out.Image = v;
      break;
    case 'ProcessId':
      out.ProcessId = v;
      break;
    case 'User':
      out.User = v;
      break;
    case 'CommandLine':
      out.CommandLine = v;
      break;
    case 'CurrentDirectory':
      out.CurrentDirectory = v;
      break;
    case 'ParentCommandLine':
      out.ParentCommandLine = v;
      break;
    case 'ParentImage':
      out.ParentImage = v;
      break;
    case 'ParentProcessId':
      out.ParentProcessId = v;
      break;
    default:
      out[name] = v;
  }
}

/** The complete `<Data Name=…>…</Data>` elements (and EventID, Computer, Provider) of a cut-off event. */
export function parseTruncatedSysmon(raw: string): SysmonData | undefined {
  const out: SysmonData = {};
  const id = /<EventID>(\d+)<\/EventID>/.exec(raw);
  if (!id) return undefined;
  out.EventID = id[1];
  const comp = /<Computer>([^<]*)<\/Computer>/.exec(raw);
  if (comp) out.Computer = decodeEntities(comp[1]);
  const prov = /<Provider Name=['"]([^'"]+)['"]/.exec(raw);
  if (prov) out.Provider = prov[1];
  const re = /<Data Name=['"]([^'"]+)['"]>([^<]*)<\/Data>/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) out[m[1]] = decodeEntities(m[2]);
  return out;
}

function clean(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === '-' ? undefined : v;
}

/** Maps Sysmon names (from XML or add-on fields) to the CIM fields. */
export function sysmonToCim(d: (name: string) => string | undefined, source: string): NormalisedEvent {
  const eid = (d('EventID') ?? d('EventCode'))?.trim();
  const out: NormalisedEvent = { t1612_source: source };
  const image = clean(d('Image'));
  if (image) {
    out.process_path = image;
    const name = basename(image);
    if (name !== undefined) out.process_name = name;
  }
  const pid = clean(d('ProcessId'));
  if (pid) out.process_id = pid;
  const user = clean(d('User'));
  if (user) out.user = user;
  const computer = clean(d('Computer'));
  if (computer) out.dest = computer;
  // Only defined values are assigned: deleting undefined ones afterwards turned every event's object into
  // a slow dictionary-mode object.
  const set = (k: keyof NormalisedEvent, name: string) => {
    const v = clean(d(name));
    if (v !== undefined) (out as unknown as Record<string, string>)[k] = v;
  };
  if (eid === '1') {
    out.event_kind = 'process';
    set('process', 'CommandLine');
    set('process_current_directory', 'CurrentDirectory');
    set('parent_process', 'ParentCommandLine');
    const parentImage = clean(d('ParentImage'));
    const parentName = parentImage ? basename(parentImage) : undefined;
    if (parentName !== undefined) out.parent_process_name = parentName;
    set('parent_process_id', 'ParentProcessId');
  } else if (eid === '3') {
    out.event_kind = 'network';
    set('dest_ip', 'DestinationIp');
    set('dest_port', 'DestinationPort');
    const host = clean(d('DestinationHostname'));
    if (host && host.startsWith('/')) out.socket_path = host;
  } else if (eid === '11') {
    out.event_kind = 'file';
    set('file_path', 'TargetFilename');
  } else {
    out.event_kind = 'other';
  }
  return out;
}

/** What sysmonToCim reads for each event ID (besides EventID/EventCode). */
const COMMON = ['Image', 'ProcessId', 'User', 'Computer'];
const NEEDS: Record<string, readonly string[]> = {
  '1': [...COMMON, 'CommandLine', 'CurrentDirectory', 'ParentCommandLine', 'ParentImage', 'ParentProcessId'],
  '3': [...COMMON, 'DestinationIp', 'DestinationPort', 'DestinationHostname'],
  '11': [...COMMON, 'TargetFilename'],
};

/** The `<Event>…</Event>` bounds in `_raw`, else undefined. */
function eventBounds(raw: string): [number, number] | undefined {
  const start = raw.indexOf('<Event');
  if (start < 0) return undefined;
  const end = raw.lastIndexOf('</Event>');
  return end < start ? undefined : [start, end + 8];
}

/**
 * `_raw` as the CSV field's text (every `"` doubled), parsed without unescaping it first (~1.5 µs per
 * 1.9 KB event saved); undefined when the fast parser does not accept it (then `_raw` is decoded as usual).
 */
function fromDoubled(text: string, linux: boolean): NormalisedEvent | undefined {
  const bounds = eventBounds(text);
  const data = bounds === undefined ? undefined : parseSysmonFast(text, bounds[0], bounds[1], true);
  if (bounds === undefined || data === undefined) return undefined;
  const at = linux ? bounds[0] : text.indexOf('Linux-Sysmon', bounds[0]);
  const isLinux = at >= 0 && at < bounds[1];
  return sysmonToCim((n) => data[n], `${isLinux ? 'sysmon-linux' : 'sysmon'}:xml`);
}

function parseBounded(raw: string, b: [number, number]): SysmonData | undefined {
  return parseSysmonFast(raw, b[0], b[1]) ?? parseSysmonXml(raw.slice(b[0], b[1]));
}

/**
 * A Sysmon event. Search-time fields an add-on extracted (CommandLine, Image, …) are used as they are;
 * `_raw`'s XML is parsed only when a field the event ID needs is missing, and only fills the gaps.
 */
export function normaliseSysmon(get: FieldGetter, linux: boolean): NormalisedEvent {
  const flavour = linux ? 'sysmon-linux' : 'sysmon';
  if (get('CommandLine') !== undefined || get('Image') !== undefined) {
    const needs = NEEDS[(get('EventID') ?? get('EventCode') ?? '').trim()] ?? COMMON;
    if (needs.every((n) => get(n) !== undefined)) return sysmonToCim(get, `${flavour}:fields`);
    const raw = get('_raw');
    const bounds = raw === undefined ? undefined : eventBounds(raw);
    const data = bounds === undefined ? undefined : parseBounded(raw as string, bounds);
    if (data === undefined) return sysmonToCim(get, `${flavour}:fields`);
    return sysmonToCim((n) => get(n) ?? data[n], `${flavour}:fields+xml`);
  }
  const doubled = get.doubled?.('_raw');
  const fast = doubled === undefined ? undefined : fromDoubled(doubled, linux);
  if (fast !== undefined) return fast;
  const raw = get('_raw');
  if (raw === undefined) return { t1612_source: `none:${flavour} event without _raw or add-on fields` };
  const bounds = eventBounds(raw);
  if (!bounds) {
    // syslog cuts long lines (often at 2048 bytes): read the complete <Data> elements of a truncated event.
    const partial = raw.indexOf('<Event') >= 0 ? parseTruncatedSysmon(raw) : undefined;
    if (partial)
      return sysmonToCim(
        (n) => partial[n],
        `${linux || partial.Provider === 'Linux-Sysmon' ? 'sysmon-linux' : 'sysmon'}:xml-truncated`,
      );
    return { t1612_source: `none:${flavour} _raw holds no <Event> XML` };
  }
  const data = parseBounded(raw, bounds);
  if (!data) return { t1612_source: `none:${flavour} XML did not parse` };
  const at = linux || data.Provider === 'Linux-Sysmon' ? bounds[0] : raw.indexOf('Linux-Sysmon', bounds[0]);
  const isLinux = at >= 0 && at < bounds[1];
  return sysmonToCim((n) => data[n], `${isLinux ? 'sysmon-linux' : 'sysmon'}:xml`);
}
