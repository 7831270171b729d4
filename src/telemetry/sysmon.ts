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

/** The EventData names sysmonToCim reads. */
const WANTED = new Set([
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
]);
const DATA = '<Data Name=';

/**
 * Fast path for the regular one-line renderings (XmlWinEventLog, Sysmon for Linux): the fields sysmonToCim
 * reads, in one forward scan over the `<Data Name=…>` elements (~50x cheaper than a full XML parse; the
 * command runs on every event). Returns undefined — full parse — for anything irregular inside a value it
 * needs: CDATA or any nested markup (`<`), numeric character references (`&#`).
 * test/telemetry/sources.test.ts checks it against the full parse on every real sample.
 */
export function parseSysmonFast(xml: string): SysmonData | undefined {
  const out: SysmonData = {};
  const id0 = xml.indexOf('<EventID');
  if (id0 < 0) return undefined;
  const idStart = xml.indexOf('>', id0) + 1;
  const idEnd = xml.indexOf('</EventID>', idStart);
  if (idStart <= 0 || idEnd < 0) return undefined;
  out.EventID = xml.slice(idStart, idEnd).trim();
  const c0 = xml.indexOf('<Computer>', idEnd);
  let pos = idEnd;
  if (c0 >= 0) {
    const c1 = xml.indexOf('</Computer>', c0);
    if (c1 < 0) return undefined;
    const v = xml.slice(c0 + 10, c1);
    if (v.indexOf('<') >= 0 || v.indexOf('&#') >= 0) return undefined;
    out.Computer = decodeEntities(v);
    pos = c1;
  }
  for (let d = xml.indexOf(DATA, pos); d >= 0; d = xml.indexOf(DATA, pos)) {
    const q = xml[d + 11];
    const nameEnd = xml.indexOf(q, d + 12);
    if ((q !== "'" && q !== '"') || nameEnd < 0) return undefined;
    const name = xml.slice(d + 12, nameEnd);
    if (xml[nameEnd + 1] === '/') {
      pos = nameEnd + 2; // <Data Name='x'/>: empty
      continue;
    }
    if (xml[nameEnd + 1] !== '>') return undefined;
    const ve = xml.indexOf('</Data>', nameEnd + 2);
    if (ve < 0) return undefined;
    pos = ve + 7;
    if (!WANTED.has(name)) continue;
    const v = xml.slice(nameEnd + 2, ve);
    if (v.indexOf('<') >= 0) return undefined;
    if (v.indexOf('&') >= 0) {
      if (v.indexOf('&#') >= 0) return undefined;
      out[name] = decodeEntities(v);
    } else if (v !== '') out[name] = v;
  }
  return out;
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
    out.process_name = basename(image);
  }
  const pid = clean(d('ProcessId'));
  if (pid) out.process_id = pid;
  const user = clean(d('User'));
  if (user) out.user = user;
  const computer = clean(d('Computer'));
  if (computer) out.dest = computer;
  if (eid === '1') {
    out.event_kind = 'process';
    out.process = clean(d('CommandLine'));
    out.process_current_directory = clean(d('CurrentDirectory'));
    out.parent_process = clean(d('ParentCommandLine'));
    const parentImage = clean(d('ParentImage'));
    if (parentImage) out.parent_process_name = basename(parentImage);
    out.parent_process_id = clean(d('ParentProcessId'));
  } else if (eid === '3') {
    out.event_kind = 'network';
    out.dest_ip = clean(d('DestinationIp'));
    out.dest_port = clean(d('DestinationPort'));
    const host = clean(d('DestinationHostname'));
    if (host && host.startsWith('/')) out.socket_path = host;
  } else if (eid === '11') {
    out.event_kind = 'file';
    out.file_path = clean(d('TargetFilename'));
  } else {
    out.event_kind = 'other';
  }
  for (const k of Object.keys(out) as (keyof NormalisedEvent)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/** A Sysmon event: add-on fields when the add-on extracted them, else the XML in `_raw`. */
export function normaliseSysmon(get: FieldGetter, linux: boolean): NormalisedEvent {
  const flavour = linux ? 'sysmon-linux' : 'sysmon';
  if (get('CommandLine') !== undefined || get('Image') !== undefined) {
    return sysmonToCim(get, `${flavour}:fields`);
  }
  const raw = get('_raw');
  if (raw === undefined) return { t1612_source: `none:${flavour} event without _raw or add-on fields` };
  const xml = sysmonXml(raw);
  if (!xml) {
    // syslog cuts long lines (often at 2048 bytes): read the complete <Data> elements of a truncated event.
    const partial = raw.indexOf('<Event') >= 0 ? parseTruncatedSysmon(raw) : undefined;
    if (partial)
      return sysmonToCim(
        (n) => partial[n],
        `${linux || partial.Provider === 'Linux-Sysmon' ? 'sysmon-linux' : 'sysmon'}:xml-truncated`,
      );
    return { t1612_source: `none:${flavour} _raw holds no <Event> XML` };
  }
  const data = parseSysmonFast(xml) ?? parseSysmonXml(xml);
  if (!data) return { t1612_source: `none:${flavour} XML did not parse` };
  const isLinux = linux || data.Provider === 'Linux-Sysmon' || xml.indexOf('Linux-Sysmon') >= 0;
  return sysmonToCim((n) => data[n], `${isLinux ? 'sysmon-linux' : 'sysmon'}:xml`);
}
