/**
 * The rules table: every signal the model can fire, its default weight, the evidence it stands for, and
 * the alert tiers (`alert_detail`). `SignalName`, the default weights, the command's `weight_<signal>`
 * options and the output columns all derive from RULES, so a signal cannot exist in one place and be
 * missing in another. Why each weight: docs/detection.md §2 (calibrated on test/corpus, `npm run eval`).
 */
import { ALERT_TEXT, SEED_WEIGHTS } from '../seed';

export interface Rule {
  readonly name: string;
  readonly weight: number;
  /** What fires it (one line; docs/detection.md has the long form). */
  readonly evidence: string;
}

export const RULES = [
  {
    name: 'from_temp',
    weight: SEED_WEIGHTS.from_temp,
    evidence: 'Dockerfile, context or image file in a writable folder',
  },
  { name: 'no_cache', weight: SEED_WEIGHTS.no_cache, evidence: '--no-cache, API nocache=1' },
  { name: 'external_file', weight: SEED_WEIGHTS.external_file, evidence: 'remote Dockerfile/context/import source' },
  {
    name: 'suspicious_parent',
    weight: SEED_WEIGHTS.suspicious_parent,
    evidence: 'launched by a server, reverse shell, download-and-run, decode-and-run or writable-folder script',
  },
  { name: 'stdin_dockerfile', weight: 1, evidence: 'Dockerfile or context read from stdin' },
  { name: 'api_build', weight: 4, evidence: 'build request sent to the Docker API by an HTTP client or script' },
  { name: 'socket_mount', weight: 3, evidence: 'container run with the Docker socket mounted' },
  { name: 'privileged_run', weight: 2, evidence: 'container run privileged, host PID or host root mounted' },
  { name: 'daemon_build', weight: 1, evidence: "dockerd's own record of a build request (corroboration)" },
  { name: 'api_connect', weight: 1, evidence: 'docker.sock connect by a process that is not docker itself' },
  {
    name: 'api_tcp_connect',
    weight: 2,
    evidence: 'plain-text Docker API port (2375/4243) connect by a non-docker client',
  },
  { name: 'image_import', weight: 1, evidence: 'image created from a file or URL (import, load, ctr import)' },
  { name: 'commit_trusted', weight: 3, evidence: 'container committed or file imported onto an official image name' },
  { name: 'masquerade', weight: 3, evidence: 'builder run under another name (argv0 spoofed or binary renamed)' },
  { name: 'writable_exe', weight: 3, evidence: 'builder or API client executable in a writable folder' },
  { name: 'evasion_complexity', weight: 4, evidence: 'command line hit a parsing cap and names a builder or the API' },
] as const satisfies readonly Rule[];

export type SignalName = (typeof RULES)[number]['name'];

/** Output order of the signals (and of t1612_reasons). */
export const SIGNALS: readonly SignalName[] = RULES.map((r) => r.name);

export type Weights = Record<SignalName, number>;

export const DEFAULT_WEIGHTS: Readonly<Weights> = Object.freeze(
  Object.fromEntries(RULES.map((r) => [r.name, r.weight])) as Weights,
);

/** New alert texts, in the seed's "SEVERITY: what happened" form. */
export const MODEL_ALERT_TEXT = {
  evasion: 'HIGH: Builder or Docker API hidden in an over-complex command line',
  apiBuild: 'HIGH: Image build sent straight to the Docker API',
  socketMount: 'HIGH: Container run with the Docker socket mounted',
  privilegedRun: 'HIGH: Privileged container run with host access',
  masquerade: 'HIGH: Image builder run under a false name',
  commitTrusted: 'HIGH: Image created under an official image name',
  writableExe: 'HIGH: Image builder run from a writable folder',
  importTemp: 'MEDIUM: Image imported from a file in a writable folder',
  apiTcp: 'MEDIUM: Plain-text Docker API port used by a non-docker client',
  stdinAndParent: 'HIGH: Dockerfile piped from stdin by shell/script',
  stdin: 'MEDIUM: Dockerfile read from stdin',
} as const;

/** Alert tiers, first match wins: every listed signal must have fired. Seed texts for the seed's conditions. */
export const TIERS: readonly { when: readonly SignalName[]; text: string }[] = [
  { when: ['external_file'], text: ALERT_TEXT.external },
  { when: ['evasion_complexity'], text: MODEL_ALERT_TEXT.evasion },
  { when: ['api_build'], text: MODEL_ALERT_TEXT.apiBuild },
  { when: ['socket_mount'], text: MODEL_ALERT_TEXT.socketMount },
  { when: ['privileged_run'], text: MODEL_ALERT_TEXT.privilegedRun },
  { when: ['masquerade'], text: MODEL_ALERT_TEXT.masquerade },
  { when: ['commit_trusted'], text: MODEL_ALERT_TEXT.commitTrusted },
  { when: ['writable_exe'], text: MODEL_ALERT_TEXT.writableExe },
  { when: ['from_temp', 'suspicious_parent'], text: ALERT_TEXT.tempAndParent },
  { when: ['stdin_dockerfile', 'suspicious_parent'], text: MODEL_ALERT_TEXT.stdinAndParent },
  { when: ['image_import', 'from_temp'], text: MODEL_ALERT_TEXT.importTemp },
  { when: ['from_temp'], text: ALERT_TEXT.temp },
  { when: ['api_tcp_connect'], text: MODEL_ALERT_TEXT.apiTcp },
  { when: ['stdin_dockerfile'], text: MODEL_ALERT_TEXT.stdin },
  { when: ['no_cache', 'suspicious_parent'], text: ALERT_TEXT.noCacheAndParent },
];
export const LOW_TIER = ALERT_TEXT.low;
