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

/** Every ModelEvent field as an own property (undefined when absent): a field added to the type must be listed. */
type FullModelEvent = { [K in keyof Required<ModelEvent>]: ModelEvent[K] };

/**
 * One literal with every field in one order: all model events share one hidden class, so detect()'s
 * property reads stay monomorphic (a `{ ...n }` copy got a hidden class of its own per event).
 */
export function toModelEvent(n: NormalisedEvent, get: FieldGetter): ModelEvent {
  const ev: FullModelEvent = {
    t1612_source: n.t1612_source,
    event_kind: n.event_kind,
    process: n.process,
    process_name: n.process_name,
    process_path: n.process_path,
    process_current_directory: n.process_current_directory,
    process_id: n.process_id,
    parent_process: n.parent_process,
    parent_process_name: n.parent_process_name,
    parent_process_id: n.parent_process_id,
    user: n.user,
    dest: n.dest,
    docker_api_method: n.docker_api_method,
    docker_api_path: n.docker_api_path,
    docker_api_query: n.docker_api_query,
    docker_api_form: n.docker_api_form,
    socket_path: n.socket_path,
    file_path: n.file_path,
    dest_ip: n.dest_ip,
    dest_port: n.dest_port,
    t1612_truncated: n.t1612_truncated,
    host: get('host'),
    original_file_name: clean(get('OriginalFileName') ?? get('original_file_name')),
    parent_process_path: clean(get('ParentImage') ?? get('parent_process_path')),
    t1612_lineage: get('t1612_lineage')?.split('\n', MAX_LINEAGE),
  };
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
