/**
 * The T1612 detection model: pure functions on NormalisedEvent (src/telemetry/types.ts).
 * Entry point: `detect(toModelEvent(normalised, get), options)` per event, options from
 * `makeDetectOptions({ weights, threshold, allowlist })` (files: src/command/allowlist-file.ts).
 */
export { detect, alertDetail, MODEL_ALERT_TEXT } from './detect';
export { DEFAULT_OPTIONS, DEFAULT_THRESHOLD, DEFAULT_WEIGHTS, SIGNALS, makeDetectOptions } from './types';
export { RULES, TIERS } from './rules';
export { toModelEvent } from './event';
export type { Activity, Detection, DetectOptions, ModelEvent, SignalName, Signals, Weights } from './types';
export { AllowlistError, describeMatch, matchAllowlist, parseAllowlist, Wildcard } from './allowlist';
export type { AllowlistRow, AllowlistSubject } from './allowlist';
