/**
 * The per-event scoring shared by `| t1612score` (src/pipeline/stream.ts) and `t1612 scan` (src/scan):
 * returns the field assignments to apply to the event, in output order. Input fields are never changed:
 * a derived value is written only to a field the event lacks (CIM aliases are copied with their multivalue),
 * or to the command's own `t1612_*` names.
 */
import { FieldGetter, NormalisedEvent, NORMALISED_FIELDS } from '../telemetry/types';
import { eventFieldsSeen, EventFieldsSeen, normaliseEvent, seenField } from '../telemetry/normalise';
import { scoreSeed } from '../detection/seed';
import { DetectOptions, makeDetectOptions, SIGNALS, toModelEvent } from '../detection/model';
import type { Detection } from '../detection/model/types';
import { EVIDENCE_PREFILTER, SEED_PREFILTER } from '../detection/model/prefilter';
import { memoFor } from '../detection/model/memo';
import { incidentKey } from './incident';

/** What scoring needs of the command's options (src/command/options.ts T1612Options fits). */
export interface ScoreOptions {
  mode: 'default' | 'seed';
  minScore: number;
  detect: DetectOptions;
  cim: 'evidence' | 'all';
  /** Stamped as `t1612_runtime` on every row when set (`report_runtime=true`). */
  runtimeLabel?: string;
}

/** The command's defaults (no options given): every event back, the model's default weights and threshold. */
export function defaultScoreOptions(mode: ScoreOptions['mode'] = 'default'): ScoreOptions {
  return { mode, minScore: 0, detect: makeDetectOptions(), cim: 'evidence' };
}

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

/** What the stream knows about the event beyond its own fields. */
export interface StreamContext {
  /** `exec` for the audit record scored with its whole event's fields. */
  role?: 'exec';
  /** Ancestors' command lines (or names), nearest first. */
  lineage?: readonly string[];
  /** Event time (epoch seconds) when `_time` is absent. */
  time?: number;
}

/** Normalised fields written back besides NORMALISED_FIELDS, when derived and the event lacks them. */
export const EVIDENCE_FIELDS: readonly (keyof NormalisedEvent)[] = [
  'docker_api_method',
  'docker_api_path',
  'docker_api_query',
  'docker_api_form',
  'socket_path',
  'file_path',
  'dest_ip',
  'dest_port',
];

/** NORMALISED_FIELDS' values, in that order, read by name (a keyed read `n[f]` per field cost more). */
export function normalisedValues(n: NormalisedEvent): (string | undefined)[] {
  return [
    n.process,
    n.process_name,
    n.process_path,
    n.process_current_directory,
    n.process_id,
    n.parent_process,
    n.parent_process_name,
    n.parent_process_id,
    n.user,
    n.dest,
    n.t1612_source,
  ];
}

/** Whether `n` has any of EVIDENCE_FIELDS (most events have none). */
export function hasEvidenceFields(n: NormalisedEvent): boolean {
  return (
    n.docker_api_method !== undefined ||
    n.docker_api_path !== undefined ||
    n.docker_api_query !== undefined ||
    n.docker_api_form !== undefined ||
    n.socket_path !== undefined ||
    n.file_path !== undefined ||
    n.dest_ip !== undefined ||
    n.dest_port !== undefined
  );
}

/** Derived normalised fields → ops, leaving the event's own fields as they are (seen: eventFieldsSeen). */
function fieldOps(get: FieldGetter, n: NormalisedEvent, ops: FieldOp[], seen: EventFieldsSeen): void {
  const values = normalisedValues(n);
  for (let i = 0; i < NORMALISED_FIELDS.length; i++) {
    const f = NORMALISED_FIELDS[i];
    const v = values[i];
    if (v === undefined) continue;
    if (f === 't1612_source') {
      ops.push([f, v]);
      continue;
    }
    const alias = seenField(seen, f);
    if (alias === f) continue;
    if (alias !== undefined && get(alias) === v) ops.push([f, null, alias]);
    else ops.push([f, v]);
  }
  if (hasEvidenceFields(n))
    for (const f of EVIDENCE_FIELDS) {
      const v = n[f];
      if (v !== undefined && get(f) === undefined) ops.push([f, v]);
    }
  // `process` already says "process"; other kinds (network, file, docker_api, socket_connect) are named.
  if (n.event_kind !== undefined && n.event_kind !== 'process' && get('event_kind') === undefined)
    ops.push(['event_kind', n.event_kind]);
}

/**
 * The build's key. Without a tag, the CLI exec, the dockerd `POST /build` line and a client's docker.sock
 * connect of one build share nothing but host and time, so no channel-specific target (API path, socket)
 * is passed: every untagged build of a host in one bucket is one incident (docs/pipeline.md).
 */
function incidentOf(get: FieldGetter, n: NormalisedEvent, d: Detection, ctx: StreamContext | undefined): string {
  const time = get('_time');
  const t = time !== undefined ? Number(time) : NaN;
  return incidentKey({
    host: get('host') ?? n.dest,
    kind: d.t1612_activity === 'run' ? 'run' : 'build',
    image: d.t1612_image,
    time: Number.isFinite(t) ? t : ctx?.time,
  });
}

/** Default mode on an already normalised event: the detection model (src/detection/model). */
export function scoreNormalised(
  get: FieldGetter,
  n: NormalisedEvent,
  options: ScoreOptions,
  ctx?: StreamContext,
  seen: EventFieldsSeen = eventFieldsSeen(get),
): EventScore {
  const ops: FieldOp[] = [];
  fieldOps(get, n, ops, seen);
  const ev = toModelEvent(n, get);
  // The stream's process table knows ancestors the event itself does not carry (CI-runner recognition).
  if (ev.t1612_lineage === undefined && ctx?.lineage !== undefined && ctx.lineage.length > 0)
    ev.t1612_lineage = ctx.lineage;
  const d = memoFor(options.detect).detect(ev);
  ops.push(['is_docker_build', String(d.is_docker_build)], ['t1612_activity', d.t1612_activity]);
  const truncated = d.t1612_truncated ?? n.t1612_truncated;
  if (truncated !== undefined) ops.push(['t1612_truncated', '1'], ['t1612_truncated_reason', truncated]);
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
    ops.push(['t1612_incident', incidentOf(get, n, d, ctx)]);
  }
  if (ctx?.role !== undefined) ops.push(['t1612_role', ctx.role]);
  if (ctx?.lineage !== undefined && ctx.lineage.length > 0) ops.push(['t1612_lineage', ctx.lineage]);
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

/** What events that cannot matter get: `is_docker_build=0`, `risk_score=0`, nothing else. */
export const NOT_A_BUILD: EventScore = Object.freeze({
  ops: [
    ['is_docker_build', '0'],
    ['risk_score', '0'],
  ],
  is_docker_build: 0,
  risk_score: 0,
}) as EventScore;

/** An audit record whose event is scored on another row: marked, never alerts. */
export const AUDIT_RECORD: EventScore = Object.freeze({
  ops: [
    ['is_docker_build', '0'],
    ['t1612_role', 'record'],
    ['risk_score', '0'],
  ],
  is_docker_build: 0,
  risk_score: 0,
}) as EventScore;

/** The scored record of an audit event whose text names no container tooling (cim=evidence). */
export const AUDIT_EXEC_QUIET: EventScore = Object.freeze({
  ops: [
    ['is_docker_build', '0'],
    ['t1612_role', 'exec'],
    ['risk_score', '0'],
  ],
  is_docker_build: 0,
  risk_score: 0,
}) as EventScore;

/**
 * `matches`, when given, tests a regex against the event's whole raw text (Row.matches): events the
 * prefilters rule out skip normalisation and scoring (src/detection/model/prefilter.ts).
 */
export function scoreEvent(get: FieldGetter, options: ScoreOptions, matches?: (re: RegExp) => boolean): EventScore {
  if (options.mode === 'seed') {
    return matches && !matches(SEED_PREFILTER) ? NOT_A_BUILD : scoreSeedMode(get);
  }
  if (matches && options.cim === 'evidence' && !matches(EVIDENCE_PREFILTER)) return NOT_A_BUILD;
  const seen = eventFieldsSeen(get);
  return scoreNormalised(get, normaliseEvent(get, seen), options, undefined, seen);
}
