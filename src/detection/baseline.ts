/**
 * Default-mode scoring (issue 4, step 3): the seed's regexes applied to normalised fields instead of the
 * seed's per-sourcetype case(). Recognition `(?i)docker\s+(image\s+)?build` on `process` for every source;
 * temp/no-cache/URL regexes on `process`; parent regex on `parent_process`; the seed's weights and alert texts.
 * The detection model replaces this module (same signature) — keep every default-mode decision here.
 */
import { NormalisedEvent } from '../telemetry/types';
import { seedAlertDetail, seedRiskScore, seedSignals, SeedSignals } from './seed';
import { splMatch, splRegex } from './spl-regex';

const BUILD = splRegex('(?i)docker\\s+(image\\s+)?build');

export interface BaselineResult extends Partial<SeedSignals> {
  is_docker_build: 0 | 1;
  risk_score: number;
  alert_detail?: string;
}

export function scoreNormalised(e: NormalisedEvent): BaselineResult {
  if (!splMatch(e.process, BUILD)) return { is_docker_build: 0, risk_score: 0 };
  const signals = seedSignals(e.process, e.parent_process);
  return { is_docker_build: 1, ...signals, risk_score: seedRiskScore(signals), alert_detail: seedAlertDetail(signals) };
}
