/**
 * A bounded memo of detect(): fleets run the same command lines (`docker ps`, `docker inspect …`) thousands
 * of times, and detect() is a pure function of a few text fields of the model event, not of its pid, guid
 * or time. The key is every field detect() can read (ROLE below; test/detection/memo.test.ts records the
 * reads over the corpus and samples and fails on one outside the key). One memo per DetectOptions object.
 */
import { detect } from './detect';
import type { Detection, DetectOptions, ModelEvent } from './types';

/**
 * How each model-event field enters the key: `key` always, `allowlist` only when the options carry an
 * allowlist (host/dest are read for its host cell only), `unread` never (detect() does not read it).
 * A Record over every field: a new ModelEvent field fails typecheck until it is classified here.
 */
export const ROLE: Readonly<Record<keyof ModelEvent, 'key' | 'allowlist' | 'unread'>> = Object.freeze({
  t1612_source: 'key',
  event_kind: 'key',
  process: 'key',
  process_name: 'key',
  process_path: 'key',
  process_current_directory: 'key',
  process_id: 'unread',
  parent_process: 'key',
  parent_process_name: 'key',
  parent_process_id: 'unread',
  user: 'key',
  dest: 'allowlist',
  docker_api_method: 'key',
  docker_api_path: 'key',
  docker_api_query: 'key',
  docker_api_form: 'key',
  socket_path: 'key',
  file_path: 'unread',
  dest_ip: 'key',
  dest_port: 'key',
  t1612_truncated: 'unread',
  host: 'allowlist',
  original_file_name: 'key',
  parent_process_path: 'key',
  t1612_lineage: 'key',
});

/** The values detect() can read, in ROLE's order (test/detection/memo.test.ts checks it against ROLE). */
export function inputsOf(ev: ModelEvent, allowlist: boolean): (string | undefined)[] {
  const v = [
    ev.t1612_source,
    ev.event_kind,
    ev.process,
    ev.process_name,
    ev.process_path,
    ev.process_current_directory,
    ev.parent_process,
    ev.parent_process_name,
    ev.user,
    ev.docker_api_method,
    ev.docker_api_path,
    ev.docker_api_query,
    ev.docker_api_form,
    ev.socket_path,
    ev.dest_ip,
    ev.dest_port,
    ev.original_file_name,
    ev.parent_process_path,
  ];
  if (allowlist) v.push(ev.dest, ev.host);
  const lineage = ev.t1612_lineage;
  if (lineage !== undefined) v.push(...lineage);
  return v;
}

function same(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Distinct events after which the memo starts over. */
export const MEMO_CAP = 4096;
/** Events whose inputs are longer (characters, joined) are scored without the memo: it holds ~20 MB at most. */
export const MEMO_MAX_KEY = 2048;

/**
 * A copy of `s` that does not keep the string it was cut from alive (a command line cut out of a long
 * `_raw` would keep all of it): V8 flattens the concatenation into new memory before slicing it.
 */
function own(s: string): string {
  return (' ' + s).slice(1);
}

/** The detection with every string (also in lists) owned, then frozen: it is shared by equal events. */
function ownedFrozen(d: Detection): Detection {
  const o = d as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'string') o[k] = own(v);
    else if (Array.isArray(v)) o[k] = Object.freeze(v.map((x: unknown) => (typeof x === 'string' ? own(x) : x)));
  }
  return Object.freeze(d);
}

interface Entry {
  inputs: (string | undefined)[];
  d: Detection;
}

export class DetectMemo {
  private readonly allowlist: boolean;
  private readonly cache = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(
    readonly options: DetectOptions,
    private readonly cap = MEMO_CAP,
  ) {
    const rows = options.allowlist;
    this.allowlist = rows !== undefined && rows.length > 0;
  }

  get size(): number {
    return this.cache.size;
  }

  /**
   * detect(ev, options); a result from the memo is shared by the events with the same inputs (frozen).
   * The key (inputs joined) may be shared by different inputs (`undefined` and `''`, a value holding the
   * separator): a hit counts only when every input is the same.
   */
  detect(ev: ModelEvent): Detection {
    const inputs = inputsOf(ev, this.allowlist);
    const key = inputs.join('\u0000');
    if (key.length > MEMO_MAX_KEY) return detect(ev, this.options);
    const hit = this.cache.get(key);
    if (hit !== undefined && same(hit.inputs, inputs)) {
      this.hits++;
      return hit.d;
    }
    return this.miss(ev, key, inputs);
  }

  private miss(ev: ModelEvent, key: string, inputs: (string | undefined)[]): Detection {
    this.misses++;
    const d = ownedFrozen(detect(ev, this.options));
    if (this.cache.size >= this.cap) this.cache.clear();
    this.cache.set(key, { inputs: inputs.map((v) => (v === undefined ? v : own(v))), d });
    return d;
  }
}

const memos = new WeakMap<DetectOptions, DetectMemo>();

/** The memo of one options object (created on first use). */
export function memoFor(options: DetectOptions): DetectMemo {
  let m = memos.get(options);
  if (m === undefined) memos.set(options, (m = new DetectMemo(options)));
  return m;
}
