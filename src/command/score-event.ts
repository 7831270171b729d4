/**
 * The per-event scoring shared by `| t1612score` (score-chunk.ts) and `t1612 scan` (src/scan):
 * returns the field assignments to apply to the event, in output order.
 */
import { FieldGetter, NormalisedEvent, NORMALISED_FIELDS } from '../telemetry/types';
import { normaliseEvent } from '../telemetry/normalise';
import { scoreSeed } from '../detection/seed';
import { scoreNormalised } from '../detection/baseline';
import { T1612Options } from './options';

/** `[name, value]` sets a field; `[name, null, from]` copies field `from` (with its multivalue) to `name`. */
export type FieldOp = [name: string, value: string] | [name: string, value: null, from: string];

export interface EventScore {
  ops: FieldOp[];
  is_docker_build: 0 | 1;
  risk_score: number;
}

/** Normalised fields written back to the event besides NORMALISED_FIELDS, when derived. */
const EVIDENCE_FIELDS: readonly (keyof NormalisedEvent)[] = [
  'docker_api_method',
  'docker_api_path',
  'docker_api_query',
  'docker_api_form',
  'socket_path',
  'file_path',
  'dest_ip',
  'dest_port',
];
const OUTPUT_FIELDS = [...NORMALISED_FIELDS, ...EVIDENCE_FIELDS];

function scoreDefault(get: FieldGetter): EventScore {
  const n = normaliseEvent(get);
  const ops: FieldOp[] = [];
  for (const f of OUTPUT_FIELDS) {
    const v = n[f];
    if (v !== undefined && v !== get(f)) ops.push([f, v]);
  }
  // `process` already says "process"; other kinds (network, file, docker_api, socket_connect) are named.
  if (n.event_kind !== undefined && n.event_kind !== 'process' && n.event_kind !== get('event_kind')) ops.push(['event_kind', n.event_kind]);
  const r = scoreNormalised(n);
  ops.push(['is_docker_build', String(r.is_docker_build)]);
  if (r.is_docker_build === 1) {
    // The seed's coalesce(CommandLine, …) happens after `where is_docker_build=1`: builds only.
    if (n.process !== undefined && get('CommandLine') === undefined) ops.push(['CommandLine', n.process]);
    if (n.parent_process !== undefined && get('ParentCommandLine') === undefined) ops.push(['ParentCommandLine', n.parent_process]);
    ops.push(['from_temp', String(r.from_temp)], ['no_cache', String(r.no_cache)], ['external_file', String(r.external_file)]);
    ops.push(['suspicious_parent', String(r.suspicious_parent)], ['alert_detail', r.alert_detail ?? '']);
  }
  ops.push(['risk_score', String(r.risk_score)]);
  return { ops, is_docker_build: r.is_docker_build, risk_score: r.risk_score };
}

/** `mode=seed`: the seed's SPL literally (src/detection/seed.ts). */
function scoreSeedMode(get: FieldGetter): EventScore {
  const r = scoreSeed(get);
  const ops: FieldOp[] = [['is_docker_build', String(r.is_docker_build)]];
  if (r.is_docker_build === 1) {
    if (r.commandLineFrom && r.commandLineFrom !== 'CommandLine') ops.push(['CommandLine', null, r.commandLineFrom]);
    ops.push(['from_temp', String(r.from_temp)], ['no_cache', String(r.no_cache)], ['external_file', String(r.external_file)]);
    ops.push(['suspicious_parent', String(r.suspicious_parent)], ['alert_detail', r.alert_detail ?? '']);
  }
  ops.push(['risk_score', String(r.risk_score)]);
  return { ops, is_docker_build: r.is_docker_build, risk_score: r.risk_score };
}

export function scoreEvent(get: FieldGetter, mode: T1612Options['mode']): EventScore {
  return mode === 'seed' ? scoreSeedMode(get) : scoreDefault(get);
}
