/**
 * The known events `t1612 verify` sends through `| t1612score mode=seed` on splunkd.
 * Atomic-style: modelled on the three Atomic Red Team tests the seed lists
 * (the project seed's "Testing Methodology": T1612 tests 1-3) plus a benign CI build.
 * Expected values are computed by scoreSeed (src/detection/seed.ts), the code the command runs.
 */
import { SEED_SYSMON_SOURCETYPE, scoreSeed } from '../detection/seed';

export interface VerifyCase {
  id: number;
  label: string;
  fields: Record<string, string>;
}

export const VERIFY_CASES: readonly VerifyCase[] = [
  {
    id: 1,
    label: 'atomic 1: sysmon no-cache build from /tmp, shell parent',
    fields: {
      sourcetype: SEED_SYSMON_SOURCETYPE,
      EventCode: '1',
      CommandLine:
        'docker build --no-cache -t atomictest_t1612 -f /tmp/atomictest_t1612/Dockerfile /tmp/atomictest_t1612',
      ParentCommandLine: '/bin/bash /tmp/atomictest_t1612/run.sh',
    },
  },
  {
    id: 2,
    label: 'atomic 1 (auditd): Dockerfile from an external URL',
    fields: {
      sourcetype: 'auditd',
      comm: 'docker',
      msg: 'docker build -f https://example.com/atomictest_t1612/Dockerfile -t atomictest_t1612 .',
    },
  },
  {
    id: 3,
    label: 'atomic 2: Docker API build over the socket (no docker CLI)',
    fields: {
      sourcetype: 'syslog',
      _raw: 'curl --unix-socket /var/run/docker.sock -X POST http://localhost/v1.43/build?t=atomictest_t1612',
    },
  },
  {
    id: 4,
    label: 'atomic 3: docker run with the socket mounted',
    fields: {
      sourcetype: 'linux_secure',
      _raw: 'docker run -v /var/run/docker.sock:/var/run/docker.sock atomictest_t1612',
    },
  },
  {
    id: 5,
    label: 'benign: CI build in the workspace',
    fields: { sourcetype: 'syslog', _raw: 'ci-runner: docker build -t registry.local/app:1.2 .' },
  },
];

/** The output fields compared; absent/empty expected means the field must be absent or empty. */
export const COMPARED_FIELDS = [
  'is_docker_build',
  'risk_score',
  'from_temp',
  'no_cache',
  'external_file',
  'suspicious_parent',
  'alert_detail',
  'CommandLine',
] as const;

export function expectedFor(c: VerifyCase): Record<(typeof COMPARED_FIELDS)[number], string> {
  const get = (n: string) => {
    const v = c.fields[n];
    return v === undefined || v === '' ? undefined : v;
  };
  const r = scoreSeed(get);
  const s = (v: number | string | undefined) => (v === undefined ? '' : String(v));
  return {
    is_docker_build: s(r.is_docker_build),
    risk_score: s(r.risk_score),
    from_temp: s(r.from_temp),
    no_cache: s(r.no_cache),
    external_file: s(r.external_file),
    suspicious_parent: s(r.suspicious_parent),
    alert_detail: s(r.alert_detail),
    // The command copies msg/_raw into CommandLine when it is the coalesced source; otherwise the event's own value.
    CommandLine: r.is_docker_build === 1 ? s(r.CommandLine) : s(c.fields.CommandLine),
  };
}

function splString(v: string): string {
  if (/["\\\r\n]/.test(v)) throw new Error(`verify case value must not contain quotes, backslashes or newlines: ${v}`);
  return `"${v}"`;
}

/** `| makeresults | eval … | t1612score mode=seed`, one result per case, tagged by t1612_case. */
export function buildVerifySearch(cases: readonly VerifyCase[] = VERIFY_CASES): string {
  const names = [...new Set(cases.flatMap((c) => Object.keys(c.fields)))];
  const evals = names.map((n) => {
    const arms = cases
      .filter((c) => c.fields[n] !== undefined)
      .map((c) => `t1612_case=${c.id}, ${splString(c.fields[n])}`);
    return `${n}=case(${arms.join(', ')})`;
  });
  return [
    `| makeresults count=${cases.length}`,
    '| streamstats count as t1612_case',
    `| eval ${evals.join(', ')}`,
    '| t1612score mode=seed',
    `| table t1612_case ${COMPARED_FIELDS.join(' ')}`,
  ].join(' ');
}
