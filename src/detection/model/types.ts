/** Types and defaults of the T1612 detection model; signals and weights come from the rules table (rules.ts). */
import { NormalisedEvent } from '../../telemetry/types';
import { SEED_THRESHOLD } from '../seed';
import type { AllowlistRow } from './allowlist';
import { DEFAULT_WEIGHTS, SIGNALS, SignalName, Weights } from './rules';

export { DEFAULT_WEIGHTS, SIGNALS };
export type { SignalName, Weights };

/** The seed's threshold (2): why it stays the default is in docs/detection.md §2. */
export const DEFAULT_THRESHOLD = SEED_THRESHOLD;

/**
 * `build` (CLI image build), `api_build` (build request to the Docker API, client or daemon side),
 * `import` (image created from a file/URL: import, load, ctr import, API fromSrc), `commit` (container
 * committed to an image), `run` (container run; scored only when escape-ready), `api_client` (a process
 * talking to the Docker API whose request is not visible: socket/port connects), `none`.
 */
export type Activity = 'build' | 'api_build' | 'import' | 'commit' | 'run' | 'api_client' | 'none';

export type Signals = Record<SignalName, 0 | 1>;

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
  /** Observations that do not score (e.g. dockerd's `dockerfile=.dockerfile.<hex>`, a CI runner parent). */
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
  activity: Exclude<Activity, 'none'>;
  tool: string;
  command: string;
  /** Script runner (`bash -c …`) the command was found in, when unwrapped from the event's own script. */
  launcher?: string;
  reasons: Partial<Record<SignalName, string>>;
  hints: string[];
  image?: string;
  /** A remote source that is a git repository (CI checkouts build from these routinely). */
  gitRemote?: boolean;
  /** api_tcp_connect came from the CLI's own daemon address (`-H`/`DOCKER_HOST`), not from a client connection. */
  cliRemoteDaemon?: boolean;
}

/**
 * The contract's event plus fields the model reads that NormalisedEvent lacks (event.ts fills them from
 * the Splunk event): `host`, the executable as other fields name it, the parent's image, the ancestry.
 */
export interface ModelEvent extends NormalisedEvent {
  host?: string;
  /** Sysmon OriginalFileName / CIM original_file_name (PE header name: survives renaming). */
  original_file_name?: string;
  /** Sysmon ParentImage / CIM parent_process_path. */
  parent_process_path?: string;
  /** Ancestors (nearest first): command lines or executables, from t1612_lineage. */
  t1612_lineage?: readonly string[];
}

/** Frozen by makeDetectOptions: detect results are memoised per options object (memo.ts). */
export interface DetectOptions {
  readonly weights: Readonly<Weights>;
  readonly threshold: number;
  readonly allowlist?: readonly AllowlistRow[];
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
  const allowlist = o.allowlist === undefined ? undefined : Object.freeze([...o.allowlist]);
  return Object.freeze({ weights: Object.freeze(weights), threshold, allowlist });
}
