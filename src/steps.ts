/**
 * Work counters for the parsers and matchers that read attacker-controlled text. Each adds the number of
 * elementary steps it took (characters visited, tokens handled, comparisons made), so tests and
 * `npm run fuzz` can bound work per input byte without timing anything.
 */
export const STEPS = {
  tokenize: 0,
  unwrap: 0,
  allowlist: 0,
  sudo: 0,
  dockerd: 0,
  lines: 0,
};

export type StepCounter = keyof typeof STEPS;

/** Sets every counter back to 0. */
export function resetSteps(): void {
  for (const k of Object.keys(STEPS) as StepCounter[]) STEPS[k] = 0;
}
