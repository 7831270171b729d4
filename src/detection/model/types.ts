/** Types, weights and defaults of the T1612 detection model. */
import { NormalisedEvent } from '../../telemetry/types';
import { SEED_THRESHOLD, SEED_WEIGHTS } from '../seed';
import type { AllowlistRow } from './allowlist';

export type SignalName =
  | 'from_temp'
  | 'no_cache'
  | 'external_file'
  | 'suspicious_parent'
  | 'stdin_dockerfile'
  | 'api_build'
  | 'socket_mount'
  | 'privileged_run';

/** Output order of the signals (and of t1612_reasons). */
export const SIGNALS: readonly SignalName[] = [
  'from_temp',
  'no_cache',
  'external_file',
  'suspicious_parent',
  'stdin_dockerfile',
  'api_build',
  'socket_mount',
  'privileged_run',
];

export type Weights = Record<SignalName, number>;

/**
 * Seed weights for the seed's four signals (3/1/4/2) and the model's own four:
 * - stdin_dockerfile 2: a Dockerfile piped in (`base64 -d … | docker build -`) leaves no file to inspect;
 *   alerts on its own at the threshold (LOW/MEDIUM), like a scripted launch.
 * - api_build 4: a build sent to the daemon by something other than the docker CLI (curl/socat/nc, a
 *   non-docker process connecting to docker.sock, dockerd's POST /build) is the documented attack path
 *   (MITRE T1612 procedure, Aqua/TeamTNT); alerts by itself, as high as an external Dockerfile.
 * - socket_mount 3: a container with the Docker socket has root on the host; alerts by itself.
 * - privileged_run 2: --privileged, --pid=host or the host root mounted; alerts by itself, lower than a
 *   socket mount because CI (docker-in-docker) uses it routinely.
 */
export const DEFAULT_WEIGHTS: Readonly<Weights> = Object.freeze({
  from_temp: SEED_WEIGHTS.from_temp,
  no_cache: SEED_WEIGHTS.no_cache,
  external_file: SEED_WEIGHTS.external_file,
  suspicious_parent: SEED_WEIGHTS.suspicious_parent,
  stdin_dockerfile: 2,
  api_build: 4,
  socket_mount: 3,
  privileged_run: 2,
});

export const DEFAULT_THRESHOLD = SEED_THRESHOLD;

export type Activity = 'build' | 'api_build' | 'run' | 'none';

export interface Signals {
  from_temp: 0 | 1;
  no_cache: 0 | 1;
  external_file: 0 | 1;
  suspicious_parent: 0 | 1;
  stdin_dockerfile: 0 | 1;
  api_build: 0 | 1;
  socket_mount: 0 | 1;
  privileged_run: 0 | 1;
}

export interface Detection extends Signals {
  t1612_activity: Activity;
  /** 1 for `build` and `api_build`. */
  is_docker_build: 0 | 1;
  /** Sum of the weights of the signals fired; 0 when allowlisted. */
  risk_score: number;
  /** Set only when risk_score reaches the threshold (and the event is not allowlisted). */
  alert_detail?: string;
  /** One short reason per signal fired, naming the evidence (multivalue field). */
  t1612_reasons: string[];
  /** Observations that do not score (e.g. dockerd's `dockerfile=.dockerfile.<hex>`). */
  t1612_hints?: string[];
  /** Set when a work cap was hit while reading the event (see unwrap.ts Unwrapped): the reason, naming the cap. */
  t1612_truncated?: string;
  allowlisted?: 0 | 1;
  allowlist_match?: string;
  /** The builder/runtime/client recognised (`docker`, `podman buildx`, `curl`, `dockerd`, …). */
  t1612_tool?: string;
  /** Image tag built (-t, API t=) or image run; for the build → run correlation. */
  t1612_image?: string;
  /** The command line the event should show (process, or the dockerd request line). */
  CommandLine?: string;
  ParentCommandLine?: string;
}

/** Internal: what recognition found in one command or daemon record. */
export interface Finding {
  activity: 'build' | 'api_build' | 'run';
  tool: string;
  command: string;
  /** Script runner (`bash -c …`) the command was found in, when unwrapped from the event's own script. */
  launcher?: string;
  reasons: Partial<Record<SignalName, string>>;
  hints: string[];
  image?: string;
}

/**
 * The contract's event plus fields the model reads that NormalisedEvent lacks:
 * `host` (Splunk's host, used by the allowlist when `dest` is absent).
 */
export interface ModelEvent extends NormalisedEvent {
  host?: string;
}

export interface DetectOptions {
  weights: Readonly<Weights>;
  threshold: number;
  allowlist?: readonly AllowlistRow[];
}

export const DEFAULT_OPTIONS: DetectOptions = Object.freeze({ weights: DEFAULT_WEIGHTS, threshold: DEFAULT_THRESHOLD });

/** Builds DetectOptions from partial overrides (e.g. command options `weight_api_build=5 threshold=3`). */
export function makeDetectOptions(
  o: { weights?: Partial<Weights>; threshold?: number; allowlist?: readonly AllowlistRow[] } = {},
): DetectOptions {
  const weights: Weights = { ...DEFAULT_WEIGHTS };
  if (o.weights) {
    for (const s of SIGNALS) {
      const v = o.weights[s];
      if (v !== undefined) {
        if (!Number.isFinite(v)) throw new Error(`weight for ${s} must be a finite number`);
        weights[s] = v;
      }
    }
  }
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isFinite(threshold)) throw new Error('threshold must be a finite number');
  return { weights, threshold, allowlist: o.allowlist };
}
