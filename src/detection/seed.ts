/**
 * `mode=seed`: the seed document's SPL (docs/seed.md), per event, literally.
 * Every field read is a plain string or undefined (null: absent or empty).
 */
import { FieldGetter } from '../telemetry/types';
import { splMatch, splRegex } from './spl-regex';

export const SEED_SYSMON_SOURCETYPE = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';

const RE = {
  sysmonBuild: splRegex('(?i)docker\\s+(image\\s+)?build'),
  auditdMsgBuild: splRegex('docker.*(image\\s+)?build'),
  auditdComm: splRegex('^docker$'),
  auditdBuildWord: splRegex('build'),
  rawBuild: splRegex('docker\\s+(image\\s+)?build'),
  temp: splRegex('(?i)(/tmp/|/dev/shm/|/var/tmp/|/run/user/)'),
  noCache: splRegex('--no-cache'),
  externalFile: splRegex('-f\\s+https?://'),
  parent: splRegex('(?i)(bash|sh|zsh|python|python3|perl|curl|wget)'),
};

export const SEED_WEIGHTS = { from_temp: 3, no_cache: 1, external_file: 4, suspicious_parent: 2 } as const;
export const SEED_THRESHOLD = 2;

export const ALERT_TEXT = {
  external: 'CRITICAL: Dockerfile sourced from external URL',
  tempAndParent: 'HIGH: Build from temp path launched by shell/script',
  temp: 'MEDIUM: Dockerfile in temporary directory',
  noCacheAndParent: 'MEDIUM: No-cache build from suspicious parent',
  low: 'LOW: Suspicious docker build pattern',
} as const;

export interface SeedSignals {
  from_temp: 0 | 1;
  no_cache: 0 | 1;
  external_file: 0 | 1;
  suspicious_parent: 0 | 1;
}

export interface SeedResult extends Partial<SeedSignals> {
  is_docker_build: 0 | 1;
  risk_score: number;
  alert_detail?: string;
  /** The field CommandLine receives: coalesce(CommandLine, msg, _raw); undefined when not a build. */
  commandLineFrom?: 'CommandLine' | 'msg' | '_raw';
  CommandLine?: string;
}

function nonNull(v: string | undefined): v is string {
  return v !== undefined && v !== '';
}

/** SPL eval `EventCode=1`: numeric comparison when the field is numeric. */
function equalsOne(v: string | undefined): boolean {
  if (!nonNull(v)) return false;
  const t = v.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && Number(t) === 1;
}

export function seedIsDockerBuild(get: FieldGetter): 0 | 1 {
  const sourcetype = get('sourcetype');
  if (sourcetype === SEED_SYSMON_SOURCETYPE && equalsOne(get('EventCode'))) {
    return splMatch(get('CommandLine'), RE.sysmonBuild) ? 1 : 0;
  }
  if (sourcetype === 'auditd') {
    const msg = get('msg');
    // SPL: AND binds tighter than OR.
    const hit =
      splMatch(msg, RE.auditdMsgBuild) || (splMatch(get('comm'), RE.auditdComm) && splMatch(msg, RE.auditdBuildWord));
    return hit ? 1 : 0;
  }
  return splMatch(get('_raw'), RE.rawBuild) ? 1 : 0;
}

export function seedAlertDetail(s: SeedSignals): string {
  if (s.external_file === 1) return ALERT_TEXT.external;
  if (s.from_temp === 1 && s.suspicious_parent === 1) return ALERT_TEXT.tempAndParent;
  if (s.from_temp === 1) return ALERT_TEXT.temp;
  if (s.no_cache === 1 && s.suspicious_parent === 1) return ALERT_TEXT.noCacheAndParent;
  return ALERT_TEXT.low;
}

export function seedRiskScore(s: SeedSignals): number {
  return (
    s.from_temp * SEED_WEIGHTS.from_temp +
    s.no_cache * SEED_WEIGHTS.no_cache +
    s.external_file * SEED_WEIGHTS.external_file +
    s.suspicious_parent * SEED_WEIGHTS.suspicious_parent
  );
}

/** The seed's signal regexes over a command line and a parent command line. */
export function seedSignals(commandLine: string | undefined, parentCommandLine: string | undefined): SeedSignals {
  const bit = (v: string | undefined, re: RegExp): 0 | 1 => (splMatch(v, re) ? 1 : 0);
  return {
    from_temp: bit(commandLine, RE.temp),
    no_cache: bit(commandLine, RE.noCache),
    external_file: bit(commandLine, RE.externalFile),
    suspicious_parent: bit(parentCommandLine, RE.parent),
  };
}

/** The seed's SPL for one event. */
export function scoreSeed(get: FieldGetter): SeedResult {
  if (seedIsDockerBuild(get) === 0) return { is_docker_build: 0, risk_score: 0 };
  const from: SeedResult['commandLineFrom'] = nonNull(get('CommandLine'))
    ? 'CommandLine'
    : nonNull(get('msg'))
      ? 'msg'
      : nonNull(get('_raw'))
        ? '_raw'
        : undefined;
  const commandLine = from ? get(from) : undefined;
  const signals = seedSignals(commandLine, get('ParentCommandLine'));
  return {
    is_docker_build: 1,
    ...signals,
    risk_score: seedRiskScore(signals),
    alert_detail: seedAlertDetail(signals),
    commandLineFrom: from,
    CommandLine: commandLine,
  };
}
