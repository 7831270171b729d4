/** The options of `| t1612score`, as typed in SPL (searchbnf.conf documents the same list). */
import { enumOption, intOption, parseOptions } from '../scp/options';

export const T1612_OPTIONS = {
  mode: enumOption(['default', 'seed'] as const),
  min_score: intOption(0, 1000),
};

export interface T1612Options {
  mode: 'default' | 'seed';
  minScore: number;
}

export function parseT1612Options(args: readonly unknown[]): T1612Options {
  const o = parseOptions('t1612score', T1612_OPTIONS, args);
  return { mode: o.mode ?? 'default', minScore: o.min_score ?? 0 };
}
