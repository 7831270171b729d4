/** sudo, dockerd, Sysmon (Windows, Linux), CIM pass-through and robustness, on the real samples. */
import * as fc from 'fast-check';
import { normaliseEvent } from '../../src/telemetry/normalise';
import { dockerQueryParams } from '../../src/telemetry/dockerd';
import { getterOf, sample, sampleLines } from './samples';

const SUDO_LINE = () => sampleLines('lab/auth_sudo.log').find((l) => l.includes('COMMAND='))!;

describe('sudo (linux_secure / syslog)', () => {
  test('RFC 3339 header, no TTY= (lab t1)', () => {
    const e = normaliseEvent(getterOf({ _raw: SUDO_LINE(), sourcetype: 'linux_secure' }));
    expect(e.t1612_source).toBe('sudo');
    expect(e.process).toBe('/usr/local/bin/docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.process_current_directory).toBe('/tmp');
    expect(e.user).toBe('labuser');
    expect(e.process_name).toBe('docker');
    expect(e.dest).toBe('vm');
  });
  test('RFC 3164 header and TTY= (same line, header and field rewritten as rsyslog/sudo print them)', () => {
    const body = SUDO_LINE()
      .replace(/^\S+ vm /, 'Nov 27 23:22:04 vm ')
      .replace('PWD=', 'TTY=pts/0 ; PWD=');
    const e = normaliseEvent(getterOf({ _raw: body, sourcetype: 'syslog' }));
    expect(e.process).toBe('/usr/local/bin/docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.process_current_directory).toBe('/tmp');
    expect(e.user).toBe('labuser');
    expect(e.dest).toBe('vm');
  });
  test("linux_secure's own `process=sudo` (syslog program) does not hide COMMAND=", () => {
    const e = normaliseEvent(
      getterOf({ _raw: SUDO_LINE(), sourcetype: 'linux_secure', process: 'sudo', user: 'labuser' }),
    );
    expect(e.process).toContain('docker build');
  });
  test('other sudo lines (pam) derive nothing and say why', () => {
    const pam = sampleLines('lab/auth_sudo.log').find((l) => l.includes('pam_unix(sudo:session)'))!;
    const e = normaliseEvent(getterOf({ _raw: pam, sourcetype: 'linux_secure' }));
    expect(e.t1612_source.startsWith('none:')).toBe(true);
    expect(e.process).toBeUndefined();
  });
});

describe('dockerd', () => {
  const lines = sampleLines('lab/dockerd_debug.log');
  test('plain logrus `Calling POST /v1.41/build?…`', () => {
    const line = lines.find((l) => l.includes('Calling POST /v1.41/build?'))!;
    const e = normaliseEvent(getterOf({ _raw: line, sourcetype: 'docker' }));
    expect(e.t1612_source).toBe('dockerd:api');
    expect(e.event_kind).toBe('docker_api');
    expect(e.docker_api_method).toBe('POST');
    expect(e.docker_api_path).toBe('/v1.41/build');
    expect(dockerQueryParams(e.docker_api_query)).toMatchObject({
      dockerfile: 'Dockerfile',
      nocache: '1',
      t: 'atomictest_t1612',
    });
  });
  test('journald/syslog prefix `<time> <host> dockerd[<pid>]: ` (the lab line with the prefix PROVENANCE documents)', () => {
    const line = lines.find((l) => l.includes('Calling POST /v1.41/build?'))!;
    const e = normaliseEvent(getterOf({ _raw: `Nov 27 23:22:04 vm dockerd[612]: ${line}`, sourcetype: 'syslog' }));
    expect(e.docker_api_path).toBe('/v1.41/build');
    expect(e.process_id).toBe('612');
    expect(e.dest).toBe('vm');
  });
  test('`form data: {…}` → docker_api_form JSON (t14 Binds)', () => {
    const line = lines.find((l) => l.includes('form data:'))!;
    const e = normaliseEvent(getterOf({ _raw: line, sourcetype: 'docker' }));
    expect(e.t1612_source).toBe('dockerd:form');
    const form = JSON.parse(e.docker_api_form!) as { HostConfig: { Binds: string[] } };
    expect(form.HostConfig.Binds).toEqual(['/var/run/docker.sock:/var/run/docker.sock']);
  });
});

const WIN_XML = () => sample('sysmon-windows/sysmon_eid1_sigma_regression_DERIVED_xmlwineventlog_style.xml').trim();

describe('Windows Sysmon', () => {
  const expectCmd = (e: ReturnType<typeof normaliseEvent>) => {
    expect(e.process).toBe('C:\\WINDOWS\\system32\\cmd.exe /d /s /c "whoami"');
    expect(e.process_current_directory).toBe(
      'C:\\Users\\xodih\\Downloads\\CVE-2025-55182-main\\CVE-2025-55182-main\\test-server\\',
    );
    expect(e.user).toBe('swachchhanda\\xodih');
    expect(e.process_name).toBe('cmd.exe');
    expect(e.process_path).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(e.parent_process_name).toBe('node.exe');
    expect(e.parent_process).toMatch(/^C:\\Users\\xodih\\AppData\\Local\\Temp\\bun-node-274e01c73\\node\.exe /);
    expect(e.process_id).toBe('3412');
    expect(e.parent_process_id).toBe('1092');
    expect(e.dest).toBe('swachchhanda');
  };
  test('legacy sourcetype=XmlWinEventLog:Microsoft-Windows-Sysmon/Operational, _raw only', () => {
    const e = normaliseEvent(
      getterOf({ _raw: WIN_XML(), sourcetype: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational' }),
    );
    expect(e.t1612_source).toBe('sysmon:xml');
    expectCmd(e);
  });
  test('current add-on: source=XmlWinEventLog:…Sysmon…, sourcetype=xmlwineventlog', () => {
    const e = normaliseEvent(
      getterOf({
        _raw: WIN_XML(),
        sourcetype: 'xmlwineventlog',
        source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
      }),
    );
    expectCmd(e);
  });
  test('add-on fields present win over _raw and are not re-parsed (OTRF JSON record)', () => {
    const rec = JSON.parse(sample('sysmon-windows/otrf_psh_mshta_sysmon_eid1_EXTRACTED.json')) as Record<
      string,
      unknown
    >;
    const fields: Record<string, string> = {
      sourcetype: 'xmlwineventlog',
      source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
      EventCode: '1',
    };
    for (const [k, v] of Object.entries(rec)) if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
    const e = normaliseEvent(getterOf(fields));
    expect(e.t1612_source).toBe('sysmon:fields');
    expect(e.process).toBe(rec.CommandLine);
    expect(e.parent_process).toBe(rec.ParentCommandLine);
    expect(e.user).toBe('WORKSTATION5\\wardog');
    expect(e.process_current_directory).toBe('C:\\Users\\wardog\\');
  });
  test('an existing CIM field beats the XML value', () => {
    const e = normaliseEvent(
      getterOf({
        _raw: WIN_XML(),
        sourcetype: 'xmlwineventlog',
        source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
        user: 'CORP\\someone',
      }),
    );
    expect(e.user).toBe('CORP\\someone');
    expect(e.process).toContain('cmd.exe');
  });
});

describe('Sysmon for Linux', () => {
  const lines = sampleLines('sysmon-linux/otrf_log4shell_sysmon_linux_eid1_3_11_EXTRACTED.xml');
  const eid = (id: string) => lines.filter((l) => l.includes(`<EventID>${id}</EventID>`));
  test('EID 1, sourcetype=sysmon:linux', () => {
    const line = eid('1').find((l) => l.includes('</Event>'))!;
    const e = normaliseEvent(getterOf({ _raw: line, sourcetype: 'sysmon:linux' }));
    expect(e.t1612_source).toBe('sysmon-linux:xml');
    const cmd = /<Data Name="CommandLine">([^<]*)</.exec(line)![1];
    expect(e.process).toBe(cmd.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&'));
    expect(e.process_current_directory).toBe(/<Data Name="CurrentDirectory">([^<]*)</.exec(line)![1]);
    expect(e.user).toBe(/<Data Name="User">([^<]*)</.exec(line)![1]);
    expect(e.dest).toBe('UBUNTU5');
  });
  test('every EID 1 record yields a command line (incl. the one syslog cut off)', () => {
    const events = eid('1').map((l) => normaliseEvent(getterOf({ _raw: l, sourcetype: 'sysmon:linux' })));
    expect(events.length).toBe(31);
    for (const e of events) expect(e.process).toBeTruthy();
    expect(events.filter((e) => e.t1612_source === 'sysmon-linux:xml-truncated').length).toBe(1);
  });
  test('EID 3 network and EID 11 file', () => {
    const net = normaliseEvent(getterOf({ _raw: eid('3')[0], sourcetype: 'sysmon:linux' }));
    expect(net.event_kind).toBe('network');
    expect(net.dest_ip).toBe('104.46.127.225');
    expect(net.dest_port).toBe('443');
    const file = normaliseEvent(getterOf({ _raw: eid('11')[0], sourcetype: 'sysmon:linux' }));
    expect(file.event_kind).toBe('file');
    expect(file.file_path).toBe('/opt/tomcat/logs/vulnapp-2.14.0.log');
  });
  test('syslog line carrying the XML (Azure Syslog export: header from its EventTime/HostName)', () => {
    const rows = sample('sysmon-linux/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, string>);
    const rec = rows.find(
      (r) => r.SyslogMessage.includes('<EventID>1</EventID>') && r.SyslogMessage.includes('</Event>'),
    )!;
    const raw = `${rec.EventTime} ${rec.HostName} ${rec.ProcessName}: ${rec.SyslogMessage}`;
    const e = normaliseEvent(getterOf({ _raw: raw, sourcetype: 'syslog' }));
    expect(e.t1612_source).toBe('sysmon-linux:xml');
    expect(e.process).toBe(
      /<Data Name="CommandLine">([^<]*)</
        .exec(rec.SyslogMessage)![1]
        .replace(/&amp;/g, '&')
        .replace(/&gt;/g, '>')
        .replace(/&lt;/g, '<'),
    );
  });
});

describe('CIM pass-through and robustness', () => {
  test('tstats Endpoint.Processes output passes through', () => {
    const f = {
      process: 'docker build -t x /tmp/x',
      parent_process: 'bash',
      dest: 'h1',
      user: 'u',
      process_current_directory: '/tmp',
    };
    const e = normaliseEvent(getterOf(f));
    expect(e.t1612_source).toBe('cim');
    expect(e).toMatchObject(f);
  });
  test('unparseable input is never fatal and says why', () => {
    for (const st of [
      'linux:audit',
      'auditd',
      'sysmon:linux',
      'xmlwineventlog',
      'linux_secure',
      'docker',
      'syslog',
      'whatever',
    ]) {
      const e = normaliseEvent(
        getterOf({
          _raw: 'type=EXECVE msg=audit(garbage',
          sourcetype: st,
          source: st === 'xmlwineventlog' ? 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational' : undefined,
        }),
      );
      expect(e.t1612_source.startsWith('none:')).toBe(true);
    }
    expect(normaliseEvent(getterOf({})).t1612_source).toBe('none:no _raw');
  });
  test('property: normaliseEvent never throws, always names a source', () => {
    const st = fc.constantFrom(
      'linux:audit',
      'auditd',
      'sysmon:linux',
      'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
      'linux_secure',
      'docker',
      'syslog',
      'x',
    );
    const raw = fc.oneof(
      fc.string(),
      fc.string().map((s) => `type=EXECVE msg=audit(1.2:3): argc=2 a0=${s} a1="${s}"`),
      fc
        .string()
        .map(
          (s) =>
            `<Event><System><EventID>1</EventID></System><EventData><Data Name='CommandLine'>${s}</Data></EventData></Event>`,
        ),
      fc.string().map((s) => `Nov 1 00:00:00 h sudo: u : PWD=${s} ; USER=root ; COMMAND=${s}`),
    );
    fc.assert(
      fc.property(st, raw, (sourcetype, _raw) => {
        const e = normaliseEvent(getterOf({ _raw, sourcetype }));
        return typeof e.t1612_source === 'string' && e.t1612_source.length > 0;
      }),
      { numRuns: 500 },
    );
  });
});

describe('Sysmon XML fast path', () => {
  test('gives the same CIM fields as the fast-xml-parser parse on every real complete event', () => {
    const { parseSysmonFast, parseSysmonXml, sysmonXml, sysmonToCim } =
      jest.requireActual<typeof import('../../src/telemetry/sysmon')>('../../src/telemetry/sysmon');
    const docs = [
      WIN_XML(),
      ...sampleLines('sysmon-linux/otrf_log4shell_sysmon_linux_eid1_3_11_EXTRACTED.xml'),
      ...sample('sysmon-linux/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { SyslogMessage: string }).SyslogMessage),
    ]
      .map((d) => sysmonXml(d))
      .filter((d): d is string => d !== undefined);
    expect(docs.length).toBeGreaterThan(100);
    for (const d of docs) {
      const fast = parseSysmonFast(d);
      expect(fast).toBeDefined();
      const full = parseSysmonXml(d)!;
      expect(sysmonToCim((n) => fast![n], 'x')).toEqual(sysmonToCim((n) => full[n], 'x'));
    }
  });
  test('irregular XML (CDATA, numeric entity) falls back to the full parse', () => {
    const { parseSysmonFast } =
      jest.requireActual<typeof import('../../src/telemetry/sysmon')>('../../src/telemetry/sysmon');
    const cdata = WIN_XML().replace('cmd.exe /d /s /c "whoami"', '<![CDATA[cmd.exe /c "a<b"]]>');
    expect(parseSysmonFast(cdata)).toBeUndefined();
    const e = normaliseEvent(
      getterOf({ _raw: cdata, sourcetype: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational' }),
    );
    expect(e.process).toBe('C:\\WINDOWS\\system32\\cmd.exe /c "a<b"');
    const ent = WIN_XML().replace('/d /s /c', '/d&#32;/s /c');
    expect(
      normaliseEvent(
        getterOf({
          _raw: ent,
          sourcetype: 'xmlwineventlog',
          source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
        }),
      ).process,
    ).toBe('C:\\WINDOWS\\system32\\cmd.exe /d /s /c "whoami"');
  });
});
