/** Sysmon: add-on fields used as they are, `_raw` XML parsed only for what they lack; the bounded fast parse. */
import { normaliseEvent } from '../../src/telemetry/normalise';
import { parseSysmonFast, parseSysmonXml } from '../../src/telemetry/sysmon';
import { FieldGetter } from '../../src/telemetry/types';
import { getterOf, sample, sampleLines } from './samples';

const XML = () => sample('sysmon-windows/sysmon_eid1_sigma_regression_DERIVED_xmlwineventlog_style.xml').trim();
const ST = { sourcetype: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational' };
const ALL = {
  EventCode: '1',
  Image: 'C:\\Windows\\System32\\cmd.exe',
  CommandLine: 'cmd.exe /c docker build -t x .',
  CurrentDirectory: 'C:\\work\\',
  User: 'CORP\\alice',
  ProcessId: '10',
  ParentImage: 'C:\\Windows\\explorer.exe',
  ParentCommandLine: 'explorer.exe',
  ParentProcessId: '9',
  Computer: 'ws1',
};

describe('sysmon-fields-and-raw', () => {
  test('sysmon-fields-complete: every field the event ID needs is there, _raw is not read', () => {
    const e = normaliseEvent(getterOf({ ...ST, ...ALL, _raw: XML() }));
    expect(e.t1612_source).toBe('sysmon:fields');
    expect(e.process_current_directory).toBe('C:\\work\\'); // the XML says C:\Users\xodih\…
    expect(e.user).toBe('CORP\\alice');
  });

  test('sysmon-fields-partial: CommandLine extracted, CurrentDirectory and the parent missing → filled from _raw', () => {
    const e = normaliseEvent(
      getterOf({ ...ST, EventCode: '1', CommandLine: 'cmd.exe /c docker build .', Computer: 'ws1', _raw: XML() }),
    );
    expect(e.t1612_source).toBe('sysmon:fields+xml');
    expect(e.process).toBe('cmd.exe /c docker build .'); // the field wins over the XML's `whoami`
    expect(e.process_current_directory).toBe(
      'C:\\Users\\xodih\\Downloads\\CVE-2025-55182-main\\CVE-2025-55182-main\\test-server\\',
    );
    expect(e.parent_process_name).toBe('node.exe');
    expect(e.user).toBe('swachchhanda\\xodih');
    expect(e.dest).toBe('ws1');
  });

  test('sysmon-fields-no-raw: partial fields and no _raw stay fields only', () => {
    const e = normaliseEvent(getterOf({ ...ST, EventCode: '1', CommandLine: 'docker ps' }));
    expect(e.t1612_source).toBe('sysmon:fields');
    expect(e.process).toBe('docker ps');
    expect(e.process_current_directory).toBeUndefined();
  });
});

describe('sysmon-xml-fast-bounds', () => {
  test('sysmon-xml-in-syslog-line: parsing [from, to) of a longer line equals parsing the XML alone', () => {
    const xml = XML();
    const line = `Dec  6 21:11:02 host sysmon: ${xml} trailing <Data Name='CommandLine'>not this</Data>`;
    const from = line.indexOf('<Event');
    expect(parseSysmonFast(line, from, from + xml.length)).toEqual(parseSysmonFast(xml));
    expect(parseSysmonFast(xml)?.CommandLine).toBe('C:\\WINDOWS\\system32\\cmd.exe /d /s /c "whoami"');
  });

  test('sysmon-xml-irregular-tag: a wanted element the fast scan cannot read falls back to the full parse', () => {
    const xml = XML().replace("<Data Name='CommandLine'>", "<Data Name='CommandLine' >");
    expect(parseSysmonFast(xml)).toBeUndefined();
    expect(parseSysmonXml(xml)?.CommandLine).toBe('C:\\WINDOWS\\system32\\cmd.exe /d /s /c "whoami"');
    const e = normaliseEvent(getterOf({ ...ST, _raw: xml }));
    expect(e.process).toBe('C:\\WINDOWS\\system32\\cmd.exe /d /s /c "whoami"');
  });

  test('sysmon-xml-entities: &amp; &lt; &quot; in a wanted value are decoded, empty elements skipped', () => {
    const xml = XML()
      .replace('/d /s /c "whoami"', '/c echo a &amp;&amp; b &lt; c &quot;d&quot;')
      .replace("<Data Name='User'>swachchhanda\\xodih</Data>", "<Data Name='User'/>");
    const d = parseSysmonFast(xml);
    expect(d?.CommandLine).toBe('C:\\WINDOWS\\system32\\cmd.exe /c echo a && b < c "d"');
    expect(d?.User).toBeUndefined();
    expect(d?.CommandLine).toBe(parseSysmonXml(xml)?.CommandLine);
  });
});

describe('sysmon-raw-doubled', () => {
  const LINUX = sampleLines('sysmon-linux/otrf_log4shell_sysmon_linux_eid1_3_11_EXTRACTED.xml').filter((l) =>
    l.startsWith('<Event'),
  );
  const QUOTED = XML()
    .replace('/d /s /c "whoami"', '/c "a ""b"" c" &amp; x')
    .replace("<Data Name='User'>", '<Data Name="User">');
  const EVENTS: [string, string, string][] = [
    ...LINUX.map((x): [string, string, string] => ['sysmon:linux', 'Linux-Sysmon/Operational', x]),
    [
      'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
      'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
      XML(),
    ],
    ['XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', 'x', QUOTED],
    ['syslog', 'Linux-Sysmon/Operational', `host sysmon: ${LINUX[0]}`],
  ];

  test('sysmon-raw-csv-escaped: the XML read from its CSV text (every quote doubled) gives the same fields', () => {
    expect(EVENTS.length).toBeGreaterThan(3);
    let withoutDecoding = 0;
    expect(QUOTED).toContain('""b""');
    for (const [sourcetype, source, raw] of EVENTS) {
      const fields = { sourcetype, source, _raw: raw };
      const plain = normaliseEvent(getterOf(fields));
      let rawReads = 0;
      const get: FieldGetter = (name) => {
        if (name === '_raw') rawReads++;
        return getterOf(fields)(name);
      };
      get.doubled = (name) => (name === '_raw' ? raw.replace(/"/g, '""') : undefined);
      expect(normaliseEvent(get)).toEqual(plain);
      // `_raw` is decoded only for an event the fast parser does not accept (then the full XML parser reads it)
      const fastReads = parseSysmonFast(raw, raw.indexOf('<Event'), raw.lastIndexOf('</Event>') + 8) !== undefined;
      expect([raw.slice(0, 80), rawReads]).toEqual([raw.slice(0, 80), fastReads ? 0 : 1]);
      if (rawReads === 0) withoutDecoding++;
    }
    expect(withoutDecoding).toBeGreaterThan(EVENTS.length / 2);
  });

  test('sysmon-raw-csv-escaped-fast-parse: same data as the decoded text, values with quotes and entities', () => {
    const d = parseSysmonFast(QUOTED.replace(/"/g, '""'), 0, undefined, true);
    expect(d).toEqual(parseSysmonFast(QUOTED));
    expect(d?.CommandLine).toBe('C:\\WINDOWS\\system32\\cmd.exe /c "a ""b"" c" & x');
  });
});

describe('sysmon-xml-adjacent', () => {
  const LINUX = sampleLines('sysmon-linux/otrf_log4shell_sysmon_linux_eid1_3_11_EXTRACTED.xml').find(
    (l) => l.includes('<EventID>1</EventID>') && l.endsWith('</Event>'),
  )!;
  const WANTED = [
    'ProcessId',
    'Image',
    'CommandLine',
    'CurrentDirectory',
    'User',
    'ParentProcessId',
    'ParentImage',
    'ParentCommandLine',
  ];
  const ODD: [string, (name: string) => string][] = [
    ['entities', (n) => `<Data Name="${n}">a &amp; b &lt;c&gt;</Data>`],
    ['empty element', (n) => `<Data Name="${n}"/>`],
    ['empty value', (n) => `<Data Name="${n}"></Data>`],
    ['quotes', (n) => `<Data Name="${n}">say "hi" 'x'</Data>`],
    ['markup', (n) => `<Data Name="${n}">a<b/>c</Data>`],
    ['char reference', (n) => `<Data Name="${n}">a&#65;</Data>`],
  ];
  const fields = (d: Record<string, string> | undefined) =>
    d === undefined ? undefined : Object.fromEntries(WANTED.map((k) => [k, d[k] || '']));

  test.each(WANTED.flatMap((name) => ODD.map(([what, el]) => [name, what, el] as const)))(
    'sysmon-xml-adjacent-%s-%s: elements side by side read as the full parse reads them, plain and CSV-escaped',
    (name, _what, el) => {
      const xml = LINUX.replace(new RegExp(`<Data Name="${name}">[^<]*</Data>`), el(name));
      expect(xml).not.toBe(LINUX);
      const fast = parseSysmonFast(xml);
      if (fast !== undefined) expect(fields(fast)).toEqual(fields(parseSysmonXml(xml)));
      else expect(el(name)).toMatch(/<b\/>|&#/);
      expect(parseSysmonFast(xml.replace(/"/g, '""'), 0, undefined, true)).toEqual(fast);
    },
  );

  test('sysmon-xml-adjacent-order: duplicates keep the last value, as the full parse', () => {
    const xml = LINUX.replace(/<Data Name="User">[^<]*<\/Data>/, '$&<Data Name="CommandLine">again</Data>');
    expect(parseSysmonFast(xml)?.CommandLine).toBe('again');
    expect(parseSysmonXml(xml)?.CommandLine).toBe('again');
    expect(fields(parseSysmonFast(LINUX))).toEqual(fields(parseSysmonXml(LINUX)));
  });
});
