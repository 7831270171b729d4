/**
 * Acceptance through the built bundle over SCP v2 (default mode): the lab capture's auditd
 * records as splunkd sends them (one record per event, and records merged per audit serial), its sudo
 * and dockerd lines, and Sysmon XML (Windows and Linux) built from the real samples' templates with a
 * docker command line substituted (no real docker Sysmon capture exists; see fixtures PROVENANCE).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serializeTable } from '../../src/scp/csv';
import { decodeMv } from '../../src/scp/multivalue';
import { RecordTable } from '../../src/scp/records';
import { executeFrame, FIXTURES, getinfoFrame, runBundle } from '../helpers/scp';

const LAB = path.join(FIXTURES, 'samples', 'lab');
type Ev = Record<string, string>;
type Out = Record<string, string> & { reasons: string[] };

async function score(events: Ev[], args: string[] = []): Promise<Out[]> {
  const fields = [...new Set(events.flatMap((e) => Object.keys(e)))];
  const body = serializeTable({ fields, rows: events.map((e) => fields.map((f) => e[f] ?? '')) });
  const r = await runBundle([getinfoFrame(args), executeFrame(body, true)], { timeoutMs: 30000 });
  expect(r.code).toBe(0);
  const t = RecordTable.parse(r.replies[1].body);
  expect(t.rows).toHaveLength(events.length); // events in = events out
  return t.rows.map((row) => {
    const o = Object.fromEntries(t.fields.map((f, i) => [f, row[i]])) as Out;
    const mv = o.__mv_t1612_reasons;
    o.reasons = mv ? decodeMv(mv) : o.t1612_reasons ? [o.t1612_reasons] : [];
    return o;
  });
}

/** The lab RAW log split at its `# ---- lab step tN_… ----` markers. */
function labSteps(): Map<string, string[]> {
  const steps = new Map<string, string[]>();
  let current = '';
  for (const line of fs.readFileSync(path.join(LAB, 'auditd_raw.log'), 'utf8').split('\n')) {
    const m = /^# ---- lab step (t\d+)_/.exec(line);
    if (m) current = m[1];
    else if (current && line.startsWith('type=')) steps.set(current, [...(steps.get(current) ?? []), line]);
  }
  return steps;
}

const serialOf = (rec: string) => /msg=audit\([\d.]+:(\d+)\)/.exec(rec)![1];

/** What each step must alert with (reason prefixes, as the model words them). */
const EXPECTED: Record<string, { oneRecord: RegExp[]; merged: RegExp[] }> = {
  t1: {
    oneRecord: [/^context in \/tmp: \/tmp\/atomictest_t1612/, /^no cache/],
    merged: [/^context in \/tmp/, /^no cache/],
  },
  t2: { oneRecord: [/^Dockerfile in \/tmp: \/tmp\/atomictest_t1612\/Dockerfile/], merged: [/^Dockerfile in \/tmp/] },
  t3: { oneRecord: [/^Dockerfile in \/tmp: \/tmp\/atomictest_t1612\/Dockerfile/], merged: [/^Dockerfile in \/tmp/] },
  t4: { oneRecord: [/^context in \/tmp/], merged: [/^context in \/tmp/] },
  t5: { oneRecord: [/^context in \/tmp/], merged: [/^context in \/tmp/] },
  // -f- . : stdin everywhere; the context "." is /tmp once CWD is known — the command joins the CWD record
  // of the same audit event even when Splunk indexed one record per event.
  t6: {
    oneRecord: [/^Dockerfile from stdin/, /^context in \/tmp: \/tmp\/atomictest_t1612 \("\." in cwd/],
    merged: [/^Dockerfile from stdin/, /^context in \/tmp: \/tmp\/atomictest_t1612 \("\." in cwd/],
  },
  t7: { oneRecord: [/^remote context: http:\/\/127\.0\.0\.1:9\/ctx\.tar/], merged: [/^remote context/] },
  t8: { oneRecord: [/^remote Dockerfile: http:\/\/127\.0\.0\.1:9\/Dockerfile/], merged: [/^remote Dockerfile/] },
  t9: { oneRecord: [/^context in \/tmp/], merged: [/^context in \/tmp/] },
  t14: {
    oneRecord: [/^docker\.sock mounted: -v \/var\/run\/docker\.sock:\/var\/run\/docker\.sock/],
    merged: [/^docker\.sock mounted/],
  },
};

/** The docker CLI's own event of a step: the EXECVE whose a0 is "docker". */
function dockerCliRow(rows: Out[], events: Ev[]): Out {
  const i = events.findIndex((e) => /type=EXECVE[^\n]* a0="docker"/.test(e._raw));
  expect(i).toBeGreaterThanOrEqual(0);
  return rows[i];
}

describe('lab steps t1–t9 and t14 alert through the command', () => {
  const steps = labSteps();
  test('the capture has every step', () => {
    expect([...steps.keys()]).toEqual(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9', 't14']);
  });

  test.each(Object.keys(EXPECTED))('%s: one record per event and merged per serial', async (step) => {
    const records = steps.get(step)!;
    const one = records.map((r) => ({ _raw: r, sourcetype: 'linux:audit', host: 'vm' }));
    const bySerial = new Map<string, string[]>();
    for (const r of records) bySerial.set(serialOf(r), [...(bySerial.get(serialOf(r)) ?? []), r]);
    const merged = [...bySerial.values()].map((recs) => ({
      _raw: recs.join('\n'),
      sourcetype: 'linux:audit',
      host: 'vm',
    }));
    for (const [events, want] of [
      [one, EXPECTED[step].oneRecord],
      [merged, EXPECTED[step].merged],
    ] as const) {
      const rows = await score(events);
      const cli = dockerCliRow(rows, events);
      expect({ step, risk: Number(cli.risk_score) >= 2, alert: cli.alert_detail !== '' }).toEqual({
        step,
        risk: true,
        alert: true,
      });
      for (const re of want)
        expect({ step, reasons: cli.reasons, has: cli.reasons.some((x) => re.test(x)) }).toMatchObject({ has: true });
      expect(cli.t1612_activity).toBe(step === 't14' ? 'run' : 'build');
    }
  });
});

describe('sudo, dockerd and Sysmon through the command', () => {
  test('the lab sudo line (linux_secure) alerts from /tmp with no cache', async () => {
    const line = fs
      .readFileSync(path.join(LAB, 'auth_sudo.log'), 'utf8')
      .split('\n')
      .find((l) => l.includes('COMMAND='))!;
    const [r] = await score([{ _raw: line, sourcetype: 'linux_secure', host: 'vm' }]);
    expect(r.t1612_activity).toBe('build');
    expect(r.alert_detail).toBe('MEDIUM: Dockerfile in temporary directory');
    expect(r.reasons.some((x) => x.startsWith('context in /tmp'))).toBe(true);
    expect(r.reasons.some((x) => x.startsWith('no cache'))).toBe(true);
  });

  test("dockerd: every POST /build is the daemon's record of a build (corroboration, no alert); the socket-mounted containers/create is a run", async () => {
    const lines = fs
      .readFileSync(path.join(LAB, 'dockerd_debug.log'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const rows = await score(lines.map((l) => ({ _raw: l, sourcetype: 'dockerd', host: 'vm' })));
    const builds = rows.filter((_r, i) => /Calling POST \/v[\d.]+\/build\?/.test(lines[i]));
    expect(builds.length).toBe(6);
    for (const b of builds) {
      expect(b.t1612_activity).toBe('api_build');
      expect(Number(b.risk_score)).toBe(1);
      expect(b.alert_detail).toBe('');
      expect(b.reasons.some((x) => x.startsWith('dockerd build request: POST /v1.41/build'))).toBe(true);
    }
    const form = rows.find((_r, i) => lines[i].includes('form data:') && lines[i].includes('docker.sock'))!;
    expect(form.t1612_activity).toBe('run');
    expect(Number(form.socket_mount)).toBe(1);
    // Other API calls (attach, wait, start, _ping …) are not builds.
    const other = rows.filter((_r, i) => !/build\?|form data/.test(lines[i]));
    expect(other.length).toBeGreaterThan(50);
    for (const o of other) expect(o.is_docker_build).toBe('0');
  });

  const winTemplate = () =>
    fs
      .readFileSync(
        path.join(
          FIXTURES,
          'samples',
          'sysmon-windows',
          'sysmon_eid1_sigma_regression_DERIVED_xmlwineventlog_style.xml',
        ),
        'utf8',
      )
      .trim();
  const linuxTemplate = () =>
    fs
      .readFileSync(
        path.join(FIXTURES, 'samples', 'sysmon-linux', 'otrf_log4shell_sysmon_linux_eid1_3_11_EXTRACTED.xml'),
        'utf8',
      )
      .split('\n')
      .find((l) => l.includes('<EventID>1<') && l.includes('"CommandLine">bash -i<'))!;
  const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  function sysmon(template: string, fields: Record<string, string>): string {
    let x = template;
    for (const [k, v] of Object.entries(fields)) {
      const re = new RegExp(`(<Data Name=['"]${k}['"]>)[^<]*(</Data>)`);
      expect(re.test(x)).toBe(true);
      x = x.replace(re, (_m, a, b) => a + xmlEscape(v) + b);
    }
    return x;
  }

  test('Sysmon (Windows, current add-on form): docker.exe build of a %TEMP% context alerts', async () => {
    const raw = sysmon(winTemplate(), {
      Image: 'C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe',
      CommandLine:
        '"C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe" build -t x C:\\Users\\alice\\AppData\\Local\\Temp\\ctx',
    });
    const [r] = await score([
      { _raw: raw, source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', sourcetype: 'xmlwineventlog' },
    ]);
    expect(r.t1612_activity).toBe('build');
    expect(Number(r.from_temp)).toBe(1);
    expect(r.alert_detail).not.toBe('');
  });

  test('Sysmon for Linux: build from /tmp launched by a script alerts; the same build typed in an interactive shell in $HOME does not', async () => {
    const rows = await score([
      {
        _raw: sysmon(linuxTemplate(), {
          Image: '/usr/bin/docker',
          CommandLine: 'docker build -t x /tmp/x',
          CurrentDirectory: '/tmp',
          ParentImage: '/usr/bin/python3',
          ParentCommandLine: 'python3 /tmp/dropper.py',
        }),
        sourcetype: 'sysmon:linux',
      },
      {
        _raw: sysmon(linuxTemplate(), {
          Image: '/usr/bin/docker',
          CommandLine: 'docker build -t web .',
          CurrentDirectory: '/home/alice/web',
          ParentImage: '/bin/bash',
          ParentCommandLine: '-bash',
        }),
        sourcetype: 'sysmon:linux',
      },
    ]);
    expect(rows[0].alert_detail).toBe('HIGH: Build from temp path launched by shell/script');
    expect(rows[1].t1612_activity).toBe('build');
    expect(rows[1].risk_score).toBe('0');
    expect(rows[1].alert_detail ?? '').toBe('');
  });

  test('not builds, or not suspicious: builder prune, buildx ls, grep "docker build", an interactive home build', async () => {
    const bash = linuxTemplate();
    const cases = ['docker builder prune -f', 'docker buildx ls', 'grep -rn "docker build" /tmp/x'].map((cmd) => ({
      _raw: sysmon(bash, {
        Image: cmd.startsWith('grep') ? '/usr/bin/grep' : '/usr/bin/docker',
        CommandLine: cmd,
        CurrentDirectory: '/tmp',
        ParentImage: '/bin/bash',
        ParentCommandLine: 'bash',
      }),
      sourcetype: 'sysmon:linux',
    }));
    const sudoHome = {
      _raw: '2026-11-27T23:23:21.363760+00:00 vm sudo:  alice : TTY=pts/0 ; PWD=/home/alice/proj ; USER=root ; COMMAND=/usr/bin/docker build -t web .',
      sourcetype: 'linux_secure',
    };
    const rows = await score([...cases, sudoHome]);
    for (const r of rows.slice(0, 3)) {
      expect(r.is_docker_build).toBe('0');
      expect(r.risk_score).toBe('0');
    }
    expect(rows[3].is_docker_build).toBe('1');
    expect(Number(rows[3].risk_score)).toBeLessThan(2);
  });
});

describe('tuning through the command', () => {
  const buildEvent = {
    _raw: '2026-11-27T23:23:21.363760+00:00 ci-07 sudo:  jenkins : PWD=/tmp ; USER=root ; COMMAND=/usr/bin/docker build --no-cache -t app /tmp/ctx',
    sourcetype: 'linux_secure',
    host: 'ci-07',
  };

  test('weights and threshold are options', async () => {
    const [base] = await score([buildEvent]);
    const [tuned] = await score([buildEvent], ['weight_from_temp=0', 'weight_no_cache=0']);
    const [strict] = await score([buildEvent], ['threshold=10']);
    expect(Number(base.risk_score)).toBe(4);
    expect(tuned.risk_score).toBe('0');
    expect(tuned.alert_detail ?? '').toBe('');
    expect(strict.risk_score).toBe('4');
    expect(strict.alert_detail ?? '').toBe('');
  });

  test('allowlist= reads only from the app lookups folder; a matching row zeroes the score and is named', async () => {
    // An installed app layout: <app>/bin/t1612score.js next to <app>/lookups/.
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 't1612app-'));
    fs.mkdirSync(path.join(app, 'bin'));
    fs.mkdirSync(path.join(app, 'lookups'));
    fs.copyFileSync(path.join(__dirname, '..', '..', 'bin', 't1612score.js'), path.join(app, 'bin', 't1612score.js'));
    fs.writeFileSync(
      path.join(app, 'lookups', 'ci.csv'),
      'host,user,parent_process_name,process_pattern,comment\nci-*,,,*docker build*,CI runners build images\n',
    );
    const { runProcess } = await import('../helpers/scp');
    const body = serializeTable({ fields: Object.keys(buildEvent), rows: [Object.values(buildEvent)] });
    const ok = await runProcess(
      [process.execPath, path.join(app, 'bin', 't1612score.js')],
      [getinfoFrame(['allowlist=ci.csv']), executeFrame(body, true)],
    );
    expect(ok.code).toBe(0);
    const t = RecordTable.parse(ok.replies[1].body);
    expect(t.get(t.rows[0], 'allowlisted')).toBe('1');
    expect(t.get(t.rows[0], 'risk_score')).toBe('0');
    expect(t.get(t.rows[0], 'allowlist_match')).toMatch(/ci\.csv line 2: host=ci-\* .*\(CI runners build images\)/);
    for (const bad of ['../ci.csv', '/etc/passwd', 'missing.csv']) {
      const r = await runProcess(
        [process.execPath, path.join(app, 'bin', 't1612score.js')],
        [getinfoFrame([`allowlist=${bad}`])],
        { timeoutMs: 10000 },
      );
      expect(r.code).not.toBe(0);
      expect((r.replies[0].metadata.inspector as { messages: string[][] }).messages[0][0]).toBe('ERROR');
    }
    fs.rmSync(app, { recursive: true, force: true });
  });

  test('the shipped allowlist parses and matches nothing real', async () => {
    const [r] = await score([buildEvent], ['allowlist=t1612_allowlist.csv']);
    expect(r.allowlisted).toBe('0');
    expect(r.risk_score).toBe('4');
  });
});
