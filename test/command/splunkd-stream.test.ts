/**
 * A splunkd-style stream — getinfo ["mode=seed"], several execute chunks with extra
 * columns, a multivalue field, `_chunked_idx`, and a header-only last chunk — comes back with the seed's
 * fields on every event, events in = events out, in order, exit 0.
 */
import { decodeMv } from '../../src/scp/multivalue';
import { RecordTable } from '../../src/scp/records';
import { executeFrame, getinfoFrame, runBundle } from '../helpers/scp';

// Column layout as splunkd sends it: value columns first, then one __mv_ column per field (protocol.md §4).
const chunk1 =
  '"_time",host,sourcetype,"EventCode",CommandLine,"ParentCommandLine",tags,"_chunked_idx","__mv__time","__mv_host","__mv_sourcetype","__mv_EventCode","__mv_CommandLine","__mv_ParentCommandLine","__mv_tags","__mv__chunked_idx"\n' +
  '"1764285801.1",ws1,syslog,,,,"a\nb",0,,,,,,,"$a$;$b$",\n' +
  '"1764285802.2",ws1,"XmlWinEventLog:Microsoft-Windows-Sysmon/Operational",1,"docker build --no-cache -t x /tmp/x","/bin/bash ./evil.sh","c\n$d",1,,,,,,,"$c$;$$$d$",\n';
const chunk2 =
  '"_time",host,sourcetype,"_raw",extra_field,"_chunked_idx","__mv__time","__mv_host","__mv_sourcetype","__mv__raw","__mv_extra_field","__mv__chunked_idx"\n' +
  '"1764285803.3",srv2,linux_secure,"sudo:  bob : PWD=/tmp ; USER=root ; COMMAND=/usr/bin/docker build -t y .","x,y",2,,,,,,\n' +
  '"1764285804.4",srv2,syslog,"Accepted publickey for bob",,3,,,,,,\n';
const chunk3Header = '"_time",host,"_chunked_idx","__mv__time","__mv_host","__mv__chunked_idx"\n';

describe('splunkd-style stream through the bundle (mode=seed)', () => {
  test('every event comes back, in order, with the seed fields', async () => {
    const r = await runBundle([
      getinfoFrame(['mode=seed']),
      executeFrame(chunk1, false),
      executeFrame(chunk2, false),
      executeFrame(chunk3Header, true),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.replies.map((f) => f.metadata)).toEqual([
      { type: 'streaming' },
      { finished: false },
      { finished: false },
      { finished: true },
    ]);

    const out1 = RecordTable.parse(r.replies[1].body);
    const out2 = RecordTable.parse(r.replies[2].body);
    expect(r.replies[3].body.length).toBe(0); // no rows in → no rows out

    // Events in = events out, in order (_chunked_idx passes through).
    expect(out1.rows.map((row) => out1.get(row, '_chunked_idx'))).toEqual(['0', '1']);
    expect(out2.rows.map((row) => out2.get(row, '_chunked_idx'))).toEqual(['2', '3']);

    // Row 0: not a build — is_docker_build=0, risk_score=0 and nothing else; multivalue untouched.
    const [a, b] = out1.rows;
    expect(out1.get(a, 'is_docker_build')).toBe('0');
    expect(out1.get(a, 'risk_score')).toBe('0');
    expect(out1.get(a, 'alert_detail')).toBeUndefined();
    expect(decodeMv(a[out1.column('__mv_tags')])).toEqual(['a', 'b']);
    expect(out1.get(a, 'tags')).toBe('a\nb');

    // Row 1: Sysmon EID 1, temp + no-cache + parent "bash" → 3 + 1 + 2 = 6, HIGH.
    expect(
      Object.fromEntries(
        [
          'is_docker_build',
          'from_temp',
          'no_cache',
          'external_file',
          'suspicious_parent',
          'risk_score',
          'alert_detail',
          'CommandLine',
        ].map((f) => [f, out1.get(b, f)]),
      ),
    ).toEqual({
      is_docker_build: '1',
      from_temp: '1',
      no_cache: '1',
      external_file: '0',
      suspicious_parent: '1',
      risk_score: '6',
      alert_detail: 'HIGH: Build from temp path launched by shell/script',
      CommandLine: 'docker build --no-cache -t x /tmp/x',
    });
    expect(decodeMv(b[out1.column('__mv_tags')])).toEqual(['c', '$d']);
    // The header is the union of the chunk's fields: row 0 has empty values for the build-only ones.
    for (const f of ['from_temp', 'no_cache', 'external_file', 'suspicious_parent', 'alert_detail'])
      expect(out1.fields).toContain(f);

    // Chunk 2: linux_secure sudo line → _raw test; CommandLine = _raw (coalesce); PWD=/tmp is in _raw → /tmp/ matches.
    const [c, d] = out2.rows;
    expect(out2.get(c, 'is_docker_build')).toBe('1');
    expect(out2.get(c, 'CommandLine')).toBe(out2.get(c, '_raw'));
    expect(out2.get(c, 'from_temp')).toBe('0'); // "PWD=/tmp ;" has no "/tmp/"
    expect(out2.get(c, 'risk_score')).toBe('0');
    expect(out2.get(c, 'alert_detail')).toBe('LOW: Suspicious docker build pattern');
    expect(out2.get(c, 'extra_field')).toBe('x,y');
    expect(out2.get(d, 'is_docker_build')).toBe('0');
    expect(out2.get(d, 'CommandLine')).toBeUndefined();
  });
});
