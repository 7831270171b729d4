/**
 * From a Splunk event (normalised fields + the raw field getter) to the model's event: adds the fields
 * the normaliser does not carry — OriginalFileName, ParentImage, t1612_lineage (multivalue, nearest
 * ancestor first; LF-joined by the getter) — and the Docker API port of an auditd AF_INET SOCKADDR.
 */
import type { FieldGetter, NormalisedEvent } from '../../telemetry/types';
import { isApiPort } from './http';
import type { ModelEvent } from './types';

const MAX_LINEAGE = 16;

function clean(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === '-' ? undefined : v;
}

/** `saddr=02000947C0A80005…` (RAW, AF_INET host order 0200, port big-endian) or `saddr_fam=inet laddr=… lport=…`. */
export function inetSockaddr(raw: string): { ip: string; port: string } | undefined {
  const i = raw.indexOf('saddr=');
  if (i < 0) return undefined;
  const hex = /^[0-9A-F]{16}/.exec(raw.slice(i + 6, i + 6 + 16));
  if (hex && hex[0].startsWith('0200')) {
    const h = hex[0];
    const port = String(parseInt(h.slice(4, 8), 16));
    const ip = [8, 10, 12, 14].map((k) => parseInt(h.slice(k, k + 2), 16)).join('.');
    return { ip, port };
  }
  const f = raw.indexOf('saddr_fam=inet', i);
  if (f < 0) return undefined;
  const m = /laddr=(\S+) lport=(\d+)/.exec(raw.slice(f, f + 200));
  return m ? { ip: m[1], port: m[2] } : undefined;
}

export function toModelEvent(n: NormalisedEvent, get: FieldGetter): ModelEvent {
  const ev: ModelEvent = { ...n, host: get('host') };
  const ofn = clean(get('OriginalFileName') ?? get('original_file_name'));
  if (ofn !== undefined) ev.original_file_name = ofn;
  const pimg = clean(get('ParentImage') ?? get('parent_process_path'));
  if (pimg !== undefined) ev.parent_process_path = pimg;
  const lineage = get('t1612_lineage');
  if (lineage !== undefined) ev.t1612_lineage = lineage.split('\n', MAX_LINEAGE);
  if (ev.dest_port === undefined && n.t1612_source.startsWith('au')) {
    const raw = get('_raw');
    const a = raw === undefined ? undefined : inetSockaddr(raw);
    if (a && isApiPort(a.port)) {
      ev.dest_ip = a.ip;
      ev.dest_port = a.port;
      ev.event_kind = 'network';
    }
  }
  return ev;
}
