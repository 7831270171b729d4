import { builderIdentity, INCIDENT_BUCKET_SECONDS, incidentKey } from '../../src/pipeline/incident';

const T1 = 1795821724.784; // lab step t1 (2026-11-27T23:22:04Z)

describe('incidentKey', () => {
  test('wrapper, sudo, CLI and dockerd rows of one build share one key', () => {
    const rows = [
      { image: 'atomictest_t1612', time: T1 }, // bash -c wrapper
      { image: 'atomictest_t1612', time: T1 + 0.05 }, // sudo exec / USER_CMD / auth.log
      { image: 'atomictest_t1612:latest', time: T1 + 0.1 }, // docker CLI
      { image: 'docker.io/library/atomictest_t1612', time: T1 + 0.11, apiTarget: '/v1.41/build' }, // dockerd
    ];
    const keys = new Set(rows.map((r) => incidentKey({ host: 'vm', kind: 'build', ...r })));
    expect([...keys]).toEqual(['vm|build|atomictest_t1612|1795821600']);
  });

  test('another tag, host, kind or time bucket is another incident', () => {
    const base = { host: 'vm', kind: 'build' as const, image: 'a', time: T1 };
    const k = incidentKey(base);
    expect(incidentKey({ ...base, image: 'b' })).not.toBe(k);
    expect(incidentKey({ ...base, host: 'vm2' })).not.toBe(k);
    expect(incidentKey({ ...base, kind: 'run' })).not.toBe(k);
    expect(incidentKey({ ...base, time: T1 + INCIDENT_BUCKET_SECONDS })).not.toBe(k);
  });

  test('identity falls back from the tag to the context, then the API target', () => {
    expect(builderIdentity({ image: 'X:latest', context: '/tmp/x' })).toBe('x');
    expect(builderIdentity({ context: '/tmp/atomictest_t1612/' })).toBe('ctx:/tmp/atomictest_t1612');
    expect(builderIdentity({ apiTarget: '/v1.41/build' })).toBe('api:/build');
    expect(builderIdentity({})).toBe('untagged');
  });

  test('attacker-sized tags are cut; a missing time or host still gives a key', () => {
    const k = incidentKey({ host: undefined, kind: 'build', image: 'a'.repeat(100000), time: undefined });
    expect(k.length).toBeLessThan(260);
    expect(k.startsWith('unknown|build|aaa')).toBe(true);
    expect(k.endsWith('|0')).toBe(true);
  });
});
