/**
 * The per-event scoring shared by `| t1612score` (score-chunk.ts) and `t1612 scan` (src/scan):
 * returns the field assignments to apply to the event, in output order.
 */
import { FieldGetter, NormalisedEvent, NORMALISED_FIELDS } from '../telemetry/types';
import { normaliseEvent } from '../telemetry/normalise';
import { scoreSeed } from '../detection/seed';
import { detect, SIGNALS, toModelEvent } from '../detection/model';
import { EVIDENCE_PREFILTER, SEED_PREFILTER } from '../detection/model/prefilter';
import { T1612Options } from './options';

/**
 * `[name, value]` sets a field (a list sets a multivalue field);
 * `[name, null, from]` copies field `from` (with its multivalue) to `name`.
 */
export type FieldOp = [name: string, value: string | readonly string[]] | [name: string, value: null, from: string];

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

/** Default mode: normalise, then the detection model (src/detection/model). */
function scoreDefault(get: FieldGetter, options: T1612Options): EventScore {
  const n = normaliseEvent(get);
  const ops: FieldOp[] = [];
  for (const f of OUTPUT_FIELDS) {
    const v = n[f];
    if (v !== undefined && v !== get(f)) ops.push([f, v]);
  }
  // `process` already says "process"; other kinds (network, file, docker_api, socket_connect) are named.
  if (n.event_kind !== undefined && n.event_kind !== 'process' && n.event_kind !== get('event_kind'))
    ops.push(['event_kind', n.event_kind]);
  const d = detect(toModelEvent(n, get), options.detect);
  ops.push(['is_docker_build', String(d.is_docker_build)], ['t1612_activity', d.t1612_activity]);
  if (d.t1612_truncated !== undefined)
    ops.push(['t1612_truncated', '1'], ['t1612_truncated_reason', d.t1612_truncated]);
  if (d.t1612_activity !== 'none') {
    // Like the seed's coalesce(CommandLine, …) after `where is_docker_build=1`: only for what was recognised.
    if (d.CommandLine !== undefined && get('CommandLine') === undefined) ops.push(['CommandLine', d.CommandLine]);
    if (d.ParentCommandLine !== undefined && get('ParentCommandLine') === undefined)
      ops.push(['ParentCommandLine', d.ParentCommandLine]);
    for (const s of SIGNALS) ops.push([s, String(d[s])]);
    if (d.alert_detail !== undefined) ops.push(['alert_detail', d.alert_detail]);
    if (d.t1612_reasons.length > 0) ops.push(['t1612_reasons', d.t1612_reasons]);
    if (d.t1612_hints && d.t1612_hints.length > 0) ops.push(['t1612_hints', d.t1612_hints]);
    if (d.t1612_tool !== undefined) ops.push(['t1612_tool', d.t1612_tool]);
    if (d.t1612_image !== undefined) ops.push(['t1612_image', d.t1612_image]);
    if (d.allowlisted !== undefined) ops.push(['allowlisted', String(d.allowlisted)]);
    if (d.allowlisted === 1) ops.push(['allowlist_match', d.allowlist_match ?? '']);
  }
  ops.push(['risk_score', String(d.risk_score)]);
  return { ops, is_docker_build: d.is_docker_build, risk_score: d.risk_score };
}

/** `mode=seed`: the seed's SPL literally (src/detection/seed.ts). */
function scoreSeedMode(get: FieldGetter): EventScore {
  const r = scoreSeed(get);
  const ops: FieldOp[] = [['is_docker_build', String(r.is_docker_build)]];
  if (r.is_docker_build === 1) {
    if (r.commandLineFrom && r.commandLineFrom !== 'CommandLine') ops.push(['CommandLine', null, r.commandLineFrom]);
    ops.push(
      ['from_temp', String(r.from_temp)],
      ['no_cache', String(r.no_cache)],
      ['external_file', String(r.external_file)],
    );
    ops.push(['suspicious_parent', String(r.suspicious_parent)], ['alert_detail', r.alert_detail ?? '']);
  }
  ops.push(['risk_score', String(r.risk_score)]);
  return { ops, is_docker_build: r.is_docker_build, risk_score: r.risk_score };
}

/** What events that cannot matter get: `is_docker_build=0`, `risk_score=0`, nothing else (issue 2). */
const NOT_A_BUILD: EventScore = Object.freeze({
  ops: [
    ['is_docker_build', '0'],
    ['risk_score', '0'],
  ],
  is_docker_build: 0,
  risk_score: 0,
}) as EventScore;

/**
 * `matches`, when given, tests a regex against the event's whole raw text (Row.matches): events the
 * prefilters rule out skip normalisation and scoring (src/detection/model/prefilter.ts).
 */
export function scoreEvent(get: FieldGetter, options: T1612Options, matches?: (re: RegExp) => boolean): EventScore {
  if (options.mode === 'seed') {
    return matches && !matches(SEED_PREFILTER) ? NOT_A_BUILD : scoreSeedMode(get);
  }
  if (matches && options.cim === 'evidence' && !matches(EVIDENCE_PREFILTER)) return NOT_A_BUILD;
  return scoreDefault(get, options);
}
