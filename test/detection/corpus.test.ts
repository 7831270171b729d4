/**
 * The labelled corpus (test/corpus/*.jsonl) through the command's own per-event scoring: every
 * unambiguous case must alert exactly when it is an attack; judgement calls (ambiguous) are pinned to
 * their current outcome so that a flip is seen and reviewed. `npm run eval` prints the rates per family.
 */
import { defaultT1612Options } from '../../src/command/options';
import { scoreEvent } from '../../src/pipeline/score-event';
import { EVIDENCE_PREFILTER } from '../../src/detection/model/prefilter';
import { getterOf, loadCorpus } from '../corpus/load';

const cases = loadCorpus();
const options = defaultT1612Options('default');

function alerts(event: Parameters<typeof getterOf>[0], prefilter = false): boolean {
  const text = Object.values(event)
    .map((v) => (Array.isArray(v) ? v.join('\n') : v))
    .join('\u0000');
  const r = scoreEvent(getterOf(event), options, prefilter ? (re) => re.test(text) : undefined);
  return r.ops.some((op) => op[0] === 'alert_detail' && op[1] !== '');
}

/** Judgement calls and the outcome the model gives them today (a change must be deliberate). */
const AMBIGUOUS_OUTCOME: Record<string, boolean> = {
  'cb-023': false, // ART T1612 under its sh executor: indistinguishable from a scripted dev build
  'ap-072': true, // java connecting to 2375: Testcontainers in dind CI or a Java API client
  'pc-151': false, // sh -c with unknown ancestry
  'bt-160': true, // Portainer agent install mounts docker.sock (documented) — an escape-ready run all the same
  'bt-163': false, // docker build --help
  'v2-184': false, // node http.request with host/port/path split: no URL to read
  'v2-195': true, // a developer building straight from a GitHub repo context: remote context is the signal
  'v2-198': false, // Portainer managing a remote host over 2375 (documented client)
  'v2-205': true, // ESCU's known false positive: a developer testing a build in /tmp
  'v3-br-17': false, // a renamed builder in /dev/shm with no name evidence (only the subcommand shape)
  'v3-api-15': true, // a JVM on 2375: docker-java/Testcontainers client or an app server abusing the API
  'v3-api-b13': false, // a scheduled inventory script naming the plain-text port, no build
  'v3-pa-b07': true, // ESCU's known false positive again (developer build in /tmp)
  'v3-pa-b08': true, // a developer building an upstream GitHub repo: the remote context is the signal
  'v3-fa-b10': false, // Docker Desktop's backend on 2375: documented component
  'v4-api-007': true, // a /tmp binary on docker.sock: no build seen, but a dropped API client
  'v4-api-011': true, // dockerd's record alone, but of a build whose context is a tar on a raw IP
  'v4-api-013': true, // Tomcat's JVM on 2375: docker-java app or a Log4Shell follow-on
  'v4-image-011': true, // dockerd's record alone, but of an import from a raw-IP URL
  'v4-image-108': true, // an admin committing onto an official name interactively: the tag is the signal
};

it('the corpus is large enough, has provenance and unique ids', () => {
  expect(cases.length).toBeGreaterThanOrEqual(150);
  expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  expect(cases.filter((c) => c.label === 'benign').length).toBeGreaterThanOrEqual(60);
  for (const c of cases) expect(c.provenance.length).toBeGreaterThan(5);
});

describe.each([...new Set(cases.map((c) => c.family))])('family %s', (family) => {
  const mine = cases.filter((c) => c.family === family);
  it.each(mine.filter((c) => !c.ambiguous).map((c) => [c.id, c.label, c] as const))('%s (%s)', (_id, label, c) => {
    expect(alerts(c.event)).toBe(label === 'attack');
  });
  const amb = mine.filter((c) => c.ambiguous);
  if (amb.length > 0)
    it.each(amb.map((c) => [c.id, c] as const))('judgement call %s keeps its outcome', (id, c) => {
      expect(AMBIGUOUS_OUTCOME[id]).toBeDefined();
      expect(alerts(c.event)).toBe(AMBIGUOUS_OUTCOME[id]);
    });
});

it('the in-command prefilter lets every alerting corpus event through', () => {
  for (const c of cases) if (alerts(c.event)) expect([c.id, alerts(c.event, true)]).toEqual([c.id, true]);
  expect(cases.some((c) => !EVIDENCE_PREFILTER.test(JSON.stringify(c.event)))).toBe(true);
});
