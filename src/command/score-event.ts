/** Transition re-export: the per-event scoring lives in src/pipeline/score-event.ts (import it from there). */
export * from '../pipeline/score-event';
