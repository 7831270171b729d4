/**
 * Acceptance: the lab capture streamed through bin/t1612score.js as splunkd sends it — newest first, in
 * chunks of a few hundred events, auditd one record per event (linux:audit's default), merged per event,
 * ENRICHED and `ausearch -i`, each with the dockerd debug and auth.log lines. Per build (steps.txt: t1–t9
 * are builds, t14 an escape-ready run): at least one alerting group by host + t1612_incident, at most 1.2
 * groups per build, no group mixing two steps, every group naming a user.
 */
import { alertingGroups, labStream, replay, SHAPES } from './helpers/lab-stream';
import { sample } from '../telemetry/samples';

const STEPS = [...sample('lab/steps.txt').matchAll(/^### (t\d+)_/gm)].map((m) => m[1]);
const BUILDS = STEPS.filter((s) => s !== 't14');

describe.each(SHAPES)('lab replay, %s', (shape) => {
  test.each([150, 300])('chunks of %i events: one alerting group per build, each naming a user', async (chunk) => {
    expect(BUILDS).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9']);
    const events = labStream(shape);
    const rows = await replay(events, chunk);
    // events in = events out, in order
    expect(rows.map((r) => r._raw)).toEqual(events.map((e) => e.fields._raw));

    const groups = alertingGroups(events, rows);
    for (const g of groups) {
      expect({ key: g.key, steps: [...g.steps] }).toEqual({ key: g.key, steps: [[...g.steps][0]] });
      expect(g.key).toMatch(/^vm\|vm\|(build|run)\|/); // every alerting row has an incident
      expect(g.rows.some((r) => (r.user ?? '') !== '')).toBe(true);
    }
    for (const step of STEPS) expect(groups.filter((g) => g.steps.has(step)).length).toBeGreaterThanOrEqual(1);
    const buildGroups = groups.filter((g) => BUILDS.some((b) => g.steps.has(b)));
    expect(buildGroups.length / BUILDS.length).toBeLessThanOrEqual(1.2);
    // audit records other than the one scored per event never alert
    expect(rows.filter((r) => r.t1612_role === 'record' && (r.alert_detail ?? '') !== '')).toEqual([]);
  });
});
