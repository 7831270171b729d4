/** The options of `| t1612score`, as typed in SPL (default/searchbnf.conf documents the same list). */
import {
  boolOption,
  enumOption,
  getinfoOf,
  intOption,
  OptionError,
  OptionSpec,
  parseOptions,
  quoteValue,
} from '../scp/options';
import { AllowlistError, DetectOptions, makeDetectOptions, SIGNALS, SignalName, Weights } from '../detection/model';
import { runtimeLabel } from './runtime-label';
import { loadAllowlist } from './allowlist-file';

/** A file name inside the app's lookups/ folder: no path, no `..` (loadAllowlist checks again). */
const lookupFileOption: OptionSpec<string> = {
  syntax: 'file name in the app lookups folder',
  parse(v) {
    const name = v.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*\.csv$/.test(name))
      throw new OptionError("must be a .csv file name from the app's lookups folder, without a path");
    return name;
  },
};

const weightOptions = Object.fromEntries(SIGNALS.map((s) => [`weight_${s}`, intOption(0, 100)])) as Record<
  `weight_${SignalName}`,
  OptionSpec<number>
>;

export const T1612_OPTIONS = {
  mode: enumOption(['default', 'seed'] as const),
  min_score: intOption(0, 1000),
  threshold: intOption(0, 1000),
  allowlist: lookupFileOption,
  cim: enumOption(['evidence', 'all'] as const),
  /**
   * false: getinfo answers type "stateful", so splunkd runs the command on the search head only
   * (for sites that keep the runtime off their indexers); default: "streaming", distributable.
   */
  distributed: { ...boolOption(), getinfo: (on: boolean) => ({ type: on ? 'streaming' : 'stateful' }) },
  /** true: every returned row gets t1612_runtime (which runtime ran it; see runtime-label.ts). */
  report_runtime: boolOption(),
  ...weightOptions,
};

export interface T1612Options {
  mode: 'default' | 'seed';
  /** Events with a lower risk_score are dropped from the reply. */
  minScore: number;
  /** Weights, alert threshold and allowlist of the default mode's model. */
  detect: DetectOptions;
  /**
   * Which events get the normalised CIM fields: only those with container-tooling evidence (default;
   * the rest skip parsing, see detection/model/prefilter.ts), or every event (`cim=all`, slower).
   */
  cim: 'evidence' | 'all';
  /** getinfo reply keys set by the options (`distributed=false` → type "stateful"). */
  getinfo: Record<string, unknown>;
  /** Set with report_runtime=true: the value of t1612_runtime on every returned row. */
  runtimeLabel?: string;
}

export function defaultT1612Options(mode: T1612Options['mode'] = 'default'): T1612Options {
  return { mode, minScore: 0, detect: makeDetectOptions(), cim: 'evidence', getinfo: {} };
}

/** Parses getinfo args; `lookupsDir` is where allowlist= files are read (the app's lookups/). */
export function parseT1612Options(args: readonly unknown[], lookupsDir?: string): T1612Options {
  const o = parseOptions('t1612score', T1612_OPTIONS, args);
  const mode = o.mode ?? 'default';
  const weights: Partial<Weights> = {};
  for (const s of SIGNALS) {
    const w = o[`weight_${s}`];
    if (w !== undefined) weights[s] = w;
  }
  const tuning =
    Object.keys(weights).length > 0 || o.threshold !== undefined || o.allowlist !== undefined || o.cim !== undefined;
  if (mode === 'seed' && tuning) {
    throw new OptionError(
      't1612score: mode=seed is the seed SPL as published; threshold, weight_*, allowlist and cim apply to the default mode only',
    );
  }
  let allowlist;
  if (o.allowlist !== undefined) {
    try {
      allowlist = loadAllowlist(o.allowlist, lookupsDir);
    } catch (e) {
      if (e instanceof AllowlistError)
        throw new OptionError(`t1612score: allowlist=${quoteValue(o.allowlist)}: ${e.message}`);
      throw e;
    }
  }
  return {
    mode,
    minScore: o.min_score ?? 0,
    detect: makeDetectOptions({ weights, threshold: o.threshold, allowlist }),
    cim: o.cim ?? 'evidence',
    getinfo: getinfoOf(T1612_OPTIONS, o),
    runtimeLabel: o.report_runtime ? runtimeLabel() : undefined,
  };
}
