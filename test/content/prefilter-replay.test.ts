/**
 * Every event `| t1612score` alerts on must survive the product alert's base search
 * (`t1612_index` `t1612_sources` `t1612_prefilter`), replayed through the Splunk term-matching model; events
 * with no _raw (CIM rows) must pass the CIM search's tstats filter instead.
 */
import { baseSearchOf, parseSearch, SearchEvent, searchMatches } from '../../src/content/search-model';
import { hexOf, prefilterTerms } from '../../src/content/vocabulary';
import { alertingEvents, commandAlerts, commandRecognises, replaySource } from './alerting-events';
import { expand, savedSearches } from './conf';

const SYSMON = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';
const sysmonXml = (eid: number, data: Record<string, string>) =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>${eid}</EventID><Computer>ws1</Computer></System><EventData>${Object.entries(
    data,
  )
    .map(([k, v]) => `<Data Name='${k}'>${v}</Data>`)
    .join('')}</EventData></Event>`;

function productBase(): string {
  const spl = savedSearches().get('T1612 - Build Image on Host')?.get('search');
  if (spl === undefined) throw new Error('product alert missing');
  return baseSearchOf(expand(spl));
}

function cimFilter(): string {
  return expand('`t1612_cim_filter`');
}

/** A CIM row as tstats returns it before `rename Processes.* as *`. */
function asDataModelRow(ev: SearchEvent): SearchEvent {
  const out: SearchEvent = {};
  for (const [k, v] of Object.entries(ev)) out[`Processes.${k}`] = v;
  return out;
}

describe('the product alert base search keeps every alerting event', () => {
  const base = parseSearch(productBase());
  const cim = parseSearch(cimFilter());
  const events = alertingEvents();
  const raw = events.filter((e) => e.event._raw !== undefined);
  const fieldOnly = events.filter((e) => e.event._raw === undefined);

  test(`every alerting event with _raw (${replaySource()}) passes sources + prefilter`, () => {
    // Enough events of the kinds that matter for the comparison to mean something.
    expect(raw.length).toBeGreaterThan(replaySource() === 'samples' ? 100 : 0);
    const dropped = raw.filter((e) => !searchMatches(base, e.event)).map((e) => e.id);
    expect(dropped).toEqual([]);
    process.stderr.write(`prefilter replay: ${raw.length} alerting events with _raw checked, 0 dropped\n`);
  });

  test('every alerting CIM row (no _raw) passes the tstats filter of the CIM search', () => {
    const dropped = fieldOnly.filter((e) => !searchMatches(cim, asDataModelRow(e.event))).map((e) => e.id);
    expect(dropped).toEqual([]);
  });

  test('the check can fail: without the auditd hex terms, shell -c EXECVE/PROCTITLE records are dropped', () => {
    const plainOnly = prefilterTerms()
      .map((t) => t.term)
      .filter((t) => !/^[0-9A-F]{8,}\*$/.test(t) && !t.startsWith('(EXECVE'));
    const weaker = parseSearch(`(${plainOnly.join(' OR ')})`);
    const dropped = raw.filter((e) => !searchMatches(weaker, e.event));
    expect(dropped.length).toBeGreaterThan(0);
  });
});

describe('field cases: what the event sent, alerting and kept by the base search', () => {
  const base = parseSearch(productBase());
  const cases: [string, SearchEvent][] = [
    [
      'dockerd-journald-remote-context',
      {
        _raw: 'Nov 27 23:22:04 vm dockerd[812]: time="2026-11-27T23:22:04Z" level=debug msg="Calling POST /v1.43/build?remote=http%3A%2F%2F10.0.0.5%2Fctx.tar&t=x"',
        sourcetype: 'journald',
      },
    ],
    [
      'sysmon-eid3-connection-to-2375',
      {
        _raw: sysmonXml(3, {
          Image: 'C:\\Users\\a\\x.exe',
          DestinationIp: '10.0.0.7',
          DestinationPort: '2375',
          User: 'A\\b',
        }),
        sourcetype: 'xmlwineventlog',
        source: SYSMON,
      },
    ],
    [
      'sysmon-curl-post-2375-build',
      {
        _raw: sysmonXml(1, {
          Image: 'C:\\Windows\\System32\\curl.exe',
          CommandLine: 'curl -X POST http://10.0.0.7:2375/v1.41/build?t=evil --data-binary @ctx.tar',
          ParentCommandLine: 'cmd.exe /c x',
        }),
        sourcetype: 'xmlwineventlog',
        source: SYSMON,
      },
    ],
    [
      'sysmon-linux-finch-build-from-tmp',
      {
        _raw: sysmonXml(1, {
          Image: '/usr/local/bin/finch',
          CommandLine: 'finch build -t x /tmp/ctx',
          ParentCommandLine: 'bash',
        }),
        sourcetype: 'sysmon:linux',
      },
    ],
    [
      'auditd-execve-kaniko-executor',
      {
        _raw: 'type=EXECVE msg=audit(1795821724.784:2924): argc=4 a0="/kaniko/executor" a1="--context" a2="/tmp/ctx" a3="--no-push"',
        sourcetype: 'linux:audit',
      },
    ],
    [
      'auditd-proctitle-hex-sudo-docker-build',
      {
        _raw: `type=PROCTITLE msg=audit(1795821724.784:2924): proctitle=${hexOf('sudo\0docker\0build\0-t\0x\0/tmp/x')}`,
        sourcetype: 'linux:audit',
      },
    ],
    [
      'auditd-proctitle-hex-usr-bin-docker-build',
      {
        _raw: `type=PROCTITLE msg=audit(1795821724.784:2924): proctitle=${hexOf('/usr/bin/docker\0build\0-t\0x\0/tmp/x')}`,
        sourcetype: 'linux:audit',
      },
    ],
    [
      'auditd-execve-bash-c-hex-argument',
      {
        _raw: `type=EXECVE msg=audit(1795821724.784:2924): argc=3 a0="bash" a1="-c" a2=${hexOf('cd /tmp && docker build -t x .')}`,
        sourcetype: 'linux:audit',
      },
    ],
  ];

  test.each(cases)('%s', (_name, ev) => {
    expect(commandAlerts(ev as Record<string, string>)).toBe(true);
    expect(searchMatches(base, ev)).toBe(true);
  });

  // The daemon's record of a build corroborates the CLI/API rows of its incident without alerting alone
  // (docs/detection.md), so it must still reach the command.
  test('dockerd-calling-post-build-without-the-word-docker: kept by the base search, recognised, not alerting alone', () => {
    const ev = {
      _raw: 'time="2026-11-27T23:22:04.897Z" level=debug msg="Calling POST /v1.41/build?nocache=1&t=x&version=1"',
      sourcetype: 'dockerd',
    };
    expect(commandRecognises(ev)).toBe(true);
    expect(commandAlerts(ev)).toBe(false);
    expect(searchMatches(base, ev)).toBe(true);
  });

  test('cim-process-docker-build-from-tmp passes the CIM tstats filter', () => {
    const row = { process: 'docker build -t x /tmp/ctx', process_name: 'docker', dest: 'h1', user: 'alice' };
    expect(commandAlerts({ ...row, parent_process: 'bash -c x', parent_process_name: 'bash' })).toBe(true);
    expect(searchMatches(parseSearch(cimFilter()), asDataModelRow(row))).toBe(true);
  });

  test.each([
    [
      'sshd-login-line',
      { _raw: 'Nov 27 23:22:04 vm sshd[99]: Accepted publickey for alice', sourcetype: 'linux_secure' },
    ],
    ['auditd-execve-ls', { _raw: 'type=EXECVE msg=audit(1:2): argc=2 a0="ls" a1="-la"', sourcetype: 'linux:audit' }],
    ['docker-word-in-an-unread-sourcetype', { _raw: 'docker build .', sourcetype: 'access_combined' }],
  ] as [string, SearchEvent][])('%s is not searched', (_name, ev) => {
    expect(searchMatches(base, ev)).toBe(false);
  });
});
