/**
 * normaliseEvent: one Splunk event (as a FieldGetter) → CIM Endpoint.Processes fields + t1612_source.
 * Cheap dispatch first (sourcetype/source, then a few indexOf sniffs on `_raw`); XML is parsed only for
 * events that look like Sysmon. Fields the event already carries (add-on fields, CIM aliases) win;
 * derived values only fill the gaps. Never throws: unparseable input yields `t1612_source=none:<why>`.
 */
import { FieldGetter, NormalisedEvent } from './types';
import { looksLikeAuditFields, normaliseAuditFields, normaliseAuditRaw } from './auditd';
import { normaliseSysmon } from './sysmon';
import { normaliseSudo } from './sudo';
import { normaliseDockerd } from './dockerd';

type Family = 'sysmon' | 'sysmon-linux' | 'audit' | 'syslog' | 'docker' | 'unknown';

const AUDIT_SOURCETYPES = new Set([
  'auditd',
  'linux:audit',
  'linux:audit:enriched',
  'linux_audit',
  'audit',
  'audit:linux',
]);
const SYSLOG_SOURCETYPES = new Set([
  'linux_secure',
  'syslog',
  'linux_messages_syslog',
  'journald',
  'linux:syslog',
  'auth',
  'sudo',
]);
const SYSMON_LEGACY = 'xmlwineventlog:microsoft-windows-sysmon/operational';

function family(sourcetype: string | undefined, source: string | undefined): Family {
  if (sourcetype !== undefined) {
    const st = sourcetype.toLowerCase();
    if (st === SYSMON_LEGACY) return 'sysmon';
    if (st === 'sysmon:linux') return 'sysmon-linux';
    if (AUDIT_SOURCETYPES.has(st)) return 'audit';
    if ((st === 'xmlwineventlog' || st === 'wineventlog') && source !== undefined && source.indexOf('Sysmon') >= 0)
      return 'sysmon';
    if (SYSLOG_SOURCETYPES.has(st))
      return source !== undefined && source.indexOf('Linux-Sysmon') >= 0 ? 'sysmon-linux' : 'syslog';
    if (st.indexOf('docker') >= 0) return 'docker';
  }
  if (source !== undefined) {
    if (source.indexOf('Linux-Sysmon') >= 0) return 'sysmon-linux';
    if (source.indexOf('Microsoft-Windows-Sysmon') >= 0) return 'sysmon';
  }
  return 'unknown';
}

/** Guesses the format of `_raw` from a few substrings; runs for syslog-ish and unknown sourcetypes. */
function sniff(raw: string, get: FieldGetter): NormalisedEvent | undefined {
  const c0 = raw.charCodeAt(0);
  // auditd: `type=`, `node=`, `----` (ausearch), or a header before the record.
  if (
    (c0 === 116 /* t */ && raw.startsWith('type=')) ||
    (c0 === 110 /* n */ && raw.startsWith('node=')) ||
    raw.startsWith('----') ||
    raw.indexOf('msg=audit(') >= 0
  ) {
    return normaliseAuditRaw(raw);
  }
  if (raw.indexOf('<Event') >= 0) return normaliseSysmon(get, raw.indexOf('Linux-Sysmon') >= 0);
  if (raw.indexOf('COMMAND=') >= 0 && raw.indexOf('sudo') >= 0) return normaliseSudo(raw);
  if (raw.indexOf('msg=') >= 0 && (raw.indexOf('dockerd') >= 0 || raw.indexOf('level=') >= 0))
    return normaliseDockerd(raw);
  return undefined;
}

function derive(get: FieldGetter): NormalisedEvent {
  const fam = family(get('sourcetype'), get('source'));
  // Sysmon reads `_raw` itself, only when the add-on fields lack something (decoding it costs ~1.5 µs).
  const raw = fam === 'sysmon' || fam === 'sysmon-linux' ? undefined : get('_raw');
  switch (fam) {
    case 'sysmon':
      return normaliseSysmon(get, false);
    case 'sysmon-linux':
      return normaliseSysmon(get, true);
    case 'audit':
      if (raw !== undefined) {
        const a = normaliseAuditRaw(raw);
        if (a) return a;
      }
      if (looksLikeAuditFields(get)) return normaliseAuditFields(get);
      return {
        t1612_source: raw === undefined ? 'none:auditd event without _raw' : 'none:auditd _raw holds no audit record',
      };
    case 'docker':
      if (raw === undefined) return { t1612_source: 'none:docker event without _raw' };
      return normaliseDockerd(raw) ?? { t1612_source: 'none:not a dockerd logrus line' };
    default: {
      if (raw === undefined) {
        if (looksLikeAuditFields(get)) return normaliseAuditFields(get);
        return { t1612_source: 'none:no _raw' };
      }
      return sniff(raw, get) ?? { t1612_source: `none:unrecognised ${fam === 'syslog' ? 'syslog line' : 'format'}` };
    }
  }
}

/** Event fields (add-on names first) that already provide each CIM field. */
export const CIM_ALIASES: Partial<Record<keyof NormalisedEvent, readonly string[]>> = {
  process: ['process', 'CommandLine'],
  process_name: ['process_name'],
  process_path: ['process_path', 'Image'],
  process_current_directory: ['process_current_directory', 'CurrentDirectory'],
  process_id: ['process_id', 'ProcessId'],
  parent_process: ['parent_process', 'ParentCommandLine'],
  parent_process_name: ['parent_process_name'],
  parent_process_id: ['parent_process_id', 'ParentProcessId'],
  user: ['user', 'User'],
  dest: ['dest', 'Computer'],
};
const CIM_KEYS = Object.keys(CIM_ALIASES) as (keyof NormalisedEvent)[];

/**
 * Which event field provides each CIM key, CIM_KEYS order, 2 bits a key: 0 none, else 1 + its index in
 * CIM_ALIASES[key] (the first of them the event has). Scoring reads it again to write the aliases back.
 */
export type EventFieldsSeen = number;

export function eventFieldsSeen(get: FieldGetter): EventFieldsSeen {
  let seen = 0;
  for (let k = 0; k < CIM_KEYS.length; k++) {
    const names = CIM_ALIASES[CIM_KEYS[k]] ?? [];
    for (let i = 0; i < names.length; i++)
      if (get(names[i]) !== undefined) {
        seen |= (i + 1) << (2 * k);
        break;
      }
  }
  return seen;
}

/** The event field that provides CIM key `key` (seen: eventFieldsSeen), if any. */
export function seenField(seen: EventFieldsSeen, key: keyof NormalisedEvent): string | undefined {
  const k = CIM_KEYS.indexOf(key);
  const i = k < 0 ? 0 : (seen >> (2 * k)) & 3;
  return i === 0 ? undefined : CIM_ALIASES[key]?.[i - 1];
}

export function normaliseEvent(get: FieldGetter, seen?: EventFieldsSeen): NormalisedEvent {
  let d: NormalisedEvent;
  try {
    d = derive(get);
  } catch (e) {
    d = { t1612_source: `none:parser error (${e instanceof Error ? e.message : String(e)})`.slice(0, 200) };
  }
  return withEventFields(get, d, seen);
}

/** Lets the fields the event already carries win over the derived ones `d` (changed in place). */
export function withEventFields(
  get: FieldGetter,
  d: NormalisedEvent,
  seen: EventFieldsSeen = eventFieldsSeen(get),
): NormalisedEvent {
  let derivedAny = false;
  for (let k = 0; k < CIM_KEYS.length; k++) {
    const key = CIM_KEYS[k];
    const derived = d[key];
    if (derived !== undefined) derivedAny = true;
    const i = (seen >> (2 * k)) & 3;
    if (i === 0) continue;
    const existing = get((CIM_ALIASES[key] as readonly string[])[i - 1]) as string;
    // linux_secure's `process` is the syslog program (`sudo`), not a command line: the sudo parser's COMMAND= wins.
    if (key === 'process' && derived !== undefined && d.t1612_source === 'sudo' && existing === 'sudo') continue;
    (d as unknown as Record<string, string>)[key] = existing;
  }
  if (d.dest === undefined) {
    const host = get('host');
    if (host !== undefined) d.dest = host;
  }
  if (!derivedAny && d.t1612_source.startsWith('none:') && get('process') !== undefined) {
    d.t1612_source = 'cim';
    d.event_kind ??= 'process';
  }
  return d;
}
