/**
 * The seed's SPL (mode=seed), case by case, through the built bundle over SCP v2.
 * Expected values are derived by hand from the seed's SPL and its SPL semantics (docs/seed.md); the
 * PCRE-vs-JS cases each name the gap they cover.
 */
import { RecordTable } from '../../src/scp/records';
import { serializeTable } from '../../src/scp/csv';
import { executeFrame, getinfoFrame, runBundle } from '../helpers/scp';

const SYSMON = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';
const FIELDS = ['sourcetype', 'EventCode', 'CommandLine', 'ParentCommandLine', 'msg', 'comm', '_raw'] as const;
type Event = Partial<Record<(typeof FIELDS)[number], string>>;

interface Expect {
  build: 0 | 1;
  signals?: [number, number, number, number]; // from_temp, no_cache, external_file, suspicious_parent
  risk?: number;
  detail?: string;
  commandLine?: string;
}

const HIGH = 'HIGH: Build from temp path launched by shell/script';
const CRIT = 'CRITICAL: Dockerfile sourced from external URL';
const MED_TEMP = 'MEDIUM: Dockerfile in temporary directory';
const MED_NC = 'MEDIUM: No-cache build from suspicious parent';
const LOW = 'LOW: Suspicious docker build pattern';

const CASES: [string, Event, Expect][] = [
  [
    'sysmon EID1 temp build from bash',
    { sourcetype: SYSMON, EventCode: '1', CommandLine: 'docker build -t x /tmp/x', ParentCommandLine: 'bash' },
    { build: 1, signals: [1, 0, 0, 1], risk: 5, detail: HIGH },
  ],
  [
    'sysmon (?i) recognition',
    { sourcetype: SYSMON, EventCode: '1', CommandLine: 'DOCKER  Image BUILD .' },
    { build: 1, signals: [0, 0, 0, 0], risk: 0, detail: LOW },
  ],
  [
    'sysmon branch is final even when 0 (no _raw fall-through)',
    { sourcetype: SYSMON, EventCode: '1', CommandLine: 'notepad.exe', _raw: 'docker build /tmp/x' },
    { build: 0 },
  ],
  [
    'sysmon EventCode 3 falls through to the _raw test',
    { sourcetype: SYSMON, EventCode: '3', _raw: '<Event>docker build /tmp/x</Event>' },
    { build: 1, signals: [1, 0, 0, 0], risk: 3, detail: MED_TEMP, commandLine: '<Event>docker build /tmp/x</Event>' },
  ],
  [
    'sysmon with EventCode absent falls through to _raw',
    { sourcetype: SYSMON, _raw: 'docker build .' },
    { build: 1, risk: 0 },
  ],
  [
    'current add-on sourcetype is not the sysmon branch: _raw test is case-sensitive',
    { sourcetype: 'xmlwineventlog', EventCode: '1', CommandLine: 'DOCKER BUILD .', _raw: 'DOCKER BUILD .' },
    { build: 0 },
  ],
  [
    'auditd msg is the audit id: branch is 0 and final even when _raw matches',
    { sourcetype: 'auditd', msg: 'audit(1764285801.123:456)', comm: 'docker', _raw: 'docker build /tmp/x' },
    { build: 0 },
  ],
  [
    'auditd msg alternative',
    { sourcetype: 'auditd', msg: 'docker image build -t x /tmp/x' },
    { build: 1, signals: [1, 0, 0, 0], risk: 3, commandLine: 'docker image build -t x /tmp/x' },
  ],
  [
    'auditd comm=docker AND msg~build (AND binds tighter than OR)',
    { sourcetype: 'auditd', comm: 'docker', msg: 'rebuild' },
    { build: 1, commandLine: 'rebuild' },
  ],
  ['auditd comm must be exactly docker', { sourcetype: 'auditd', comm: 'dockerd', msg: 'build' }, { build: 0 }],
  ['auditd comm null: B AND C is false', { sourcetype: 'auditd', msg: 'build' }, { build: 0 }],
  ['PCRE gap: $ matches before a final LF', { sourcetype: 'auditd', comm: 'docker\n', msg: 'build' }, { build: 1 }],
  ['PCRE gap: . matches CR', { sourcetype: 'auditd', msg: 'docker\rbuild' }, { build: 1 }],
  ['PCRE gap: . never matches LF', { sourcetype: 'auditd', msg: 'docker\nbuild' }, { build: 0 }],
  [
    'PCRE gap: \\s is ASCII only (NBSP is not a space)',
    { sourcetype: 'syslog', _raw: 'docker\u00a0build .' },
    { build: 0 },
  ],
  [
    'PCRE gap: \\s includes tab and vertical tab',
    { sourcetype: 'syslog', _raw: 'docker\t\u000bbuild .' },
    { build: 1 },
  ],
  [
    '_raw test: docker image build',
    { sourcetype: 'linux_secure', _raw: 'sudo: bob : PWD=/tmp ; COMMAND=/usr/bin/docker image build -t a .' },
    { build: 1, signals: [0, 0, 0, 0] },
  ],
  [
    '_raw test is a substring: docker builder prune matches (seed flaw kept)',
    { sourcetype: 'syslog', _raw: 'docker builder prune -af' },
    { build: 1 },
  ],
  ['_raw test: no match', { sourcetype: 'syslog', _raw: 'docker run alpine' }, { build: 0 }],
  [
    '(?i) only where written: /TMP/ scores, --NO-CACHE does not',
    { sourcetype: 'syslog', _raw: 'docker build --NO-CACHE /TMP/x' },
    { build: 1, signals: [1, 0, 0, 0], risk: 3, detail: MED_TEMP },
  ],
  [
    'external_file is case-sensitive and needs -f<space>',
    { sourcetype: 'syslog', _raw: 'docker build -f HTTP://x/D .' },
    { build: 1, signals: [0, 0, 0, 0] },
  ],
  [
    'external_file wins the tier',
    { sourcetype: 'syslog', _raw: 'docker build -f  https://x/Dockerfile /tmp/c' },
    { build: 1, signals: [1, 0, 1, 0], risk: 7, detail: CRIT },
  ],
  [
    'parent substring: ssh-agent matches (seed flaw kept)',
    { sourcetype: SYSMON, EventCode: '1', CommandLine: 'docker build --no-cache .', ParentCommandLine: 'ssh-agent' },
    { build: 1, signals: [0, 1, 0, 1], risk: 3, detail: MED_NC },
  ],
  [
    'parent substring: powershell.exe matches',
    {
      sourcetype: SYSMON,
      EventCode: '1',
      CommandLine: 'docker build .',
      ParentCommandLine: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    },
    { build: 1, signals: [0, 0, 0, 1], risk: 2, detail: LOW },
  ],
  [
    'parent: explorer.exe does not match',
    {
      sourcetype: SYSMON,
      EventCode: '1',
      CommandLine: 'docker build .',
      ParentCommandLine: 'C:\\Windows\\explorer.exe',
    },
    { build: 1, signals: [0, 0, 0, 0], risk: 0 },
  ],
  [
    'no-cache alone is LOW',
    { sourcetype: 'syslog', _raw: 'docker build --no-cache .' },
    { build: 1, signals: [0, 1, 0, 0], risk: 1, detail: LOW },
  ],
  [
    'every signal: 3+1+4+2',
    {
      sourcetype: SYSMON,
      EventCode: '1',
      CommandLine: 'docker build --no-cache -f https://e/D /dev/shm/x',
      ParentCommandLine: '/usr/bin/python3 x.py',
    },
    { build: 1, signals: [1, 1, 1, 1], risk: 10, detail: CRIT },
  ],
  [
    'coalesce: CommandLine wins over msg and _raw',
    { sourcetype: SYSMON, EventCode: '1', CommandLine: 'docker build .', msg: '/tmp/', _raw: '/tmp/' },
    { build: 1, signals: [0, 0, 0, 0], commandLine: 'docker build .' },
  ],
  [
    'coalesce: empty CommandLine falls to msg',
    { sourcetype: 'syslog', CommandLine: '', msg: 'm /var/tmp/', _raw: 'docker build .' },
    { build: 1, signals: [1, 0, 0, 0], commandLine: 'm /var/tmp/' },
  ],
  [
    'coalesce: then _raw',
    { sourcetype: 'syslog', _raw: 'docker build /run/user/1000/x' },
    { build: 1, signals: [1, 0, 0, 0], commandLine: 'docker build /run/user/1000/x' },
  ],
];

describe('mode=seed reproduces the seed SPL, over the protocol', () => {
  let table: RecordTable;
  beforeAll(async () => {
    const body = serializeTable({ fields: [...FIELDS], rows: CASES.map(([, e]) => FIELDS.map((f) => e[f] ?? '')) });
    const r = await runBundle([getinfoFrame(['mode=seed']), executeFrame(body, true)]);
    expect(r.code).toBe(0);
    expect(r.replies).toHaveLength(2);
    table = RecordTable.parse(r.replies[1].body);
    expect(table.rows).toHaveLength(CASES.length);
  });

  test.each(CASES.map((c, i) => [c[0], i] as const))('%s', (_name, i) => {
    const [, input, want] = CASES[i];
    const row = table.rows[i];
    const get = (f: string) => table.get(row, f);
    expect(get('is_docker_build')).toBe(String(want.build));
    if (want.build === 0) {
      expect(get('risk_score')).toBe('0');
      for (const f of ['from_temp', 'no_cache', 'external_file', 'suspicious_parent', 'alert_detail'])
        expect(get(f)).toBeUndefined();
      expect(get('CommandLine')).toBe(input.CommandLine || undefined);
      return;
    }
    if (want.signals) {
      expect(['from_temp', 'no_cache', 'external_file', 'suspicious_parent'].map((f) => Number(get(f)))).toEqual(
        want.signals,
      );
    }
    if (want.risk !== undefined) expect(get('risk_score')).toBe(String(want.risk));
    if (want.detail) expect(get('alert_detail')).toBe(want.detail);
    expect(get('alert_detail')).toMatch(/^(CRITICAL|HIGH|MEDIUM|LOW): /);
    if (want.commandLine) expect(get('CommandLine')).toBe(want.commandLine);
    // Untouched input fields come back unchanged.
    for (const f of FIELDS) if (f !== 'CommandLine') expect(get(f)).toBe(input[f] || undefined);
  });

  test("min_score=2 stands in for the seed's `where risk_score >= 2`", async () => {
    const body = serializeTable({ fields: [...FIELDS], rows: CASES.map(([, e]) => FIELDS.map((f) => e[f] ?? '')) });
    const r = await runBundle([getinfoFrame(['mode=seed', 'min_score=2']), executeFrame(body, true)]);
    expect(r.code).toBe(0);
    const t = RecordTable.parse(r.replies[1].body);
    const riskOf = (w: Expect) =>
      w.risk ?? (w.signals ? w.signals[0] * 3 + w.signals[1] + w.signals[2] * 4 + w.signals[3] * 2 : 0);
    const expected = CASES.filter(([, , w]) => w.build === 1 && riskOf(w) >= 2).length;
    expect(expected).toBeGreaterThan(3);
    expect(t.rows).toHaveLength(expected);
    for (const row of t.rows) expect(Number(t.get(row, 'risk_score'))).toBeGreaterThanOrEqual(2);
  });
});
