/**
 * Every input field comes back unchanged through bin/t1612score.js: a value the parsers derive goes to a
 * field only when the event lacks it; CIM fields copied from an alias keep its multivalue encoding.
 */
import { decodeMv } from '../../src/scp/multivalue';
import { runCommand } from '../telemetry/command-helpers';
import { auditRecords, sampleLines } from '../telemetry/samples';

/** Real Sysmon for Linux EID 3 (wdavdaemon → 104.46.127.225:443) with DestinationPort changed to 2375. */
const EID3_2375 = sampleLines('sysmon-linux/otrf_log4shell_sysmon_linux_eid1_3_11_EXTRACTED.xml')[0].replace(
  '<Data Name="DestinationPort">443<',
  '<Data Name="DestinationPort">2375<',
);

describe('input fields unchanged (field-case names say what the event sent)', () => {
  test('sysmon-eid3-dest-port-443-field: dest_port, dest_ip and event_kind stay as sent; the model still scores _raw', async () => {
    const [r] = await runCommand([
      {
        _raw: EID3_2375,
        sourcetype: 'sysmon:linux',
        dest_port: '443',
        dest_ip: '10.0.0.9',
        event_kind: 'network_flow',
      },
    ]);
    expect(r.dest_port).toBe('443');
    expect(r.dest_ip).toBe('10.0.0.9');
    expect(r.event_kind).toBe('network_flow');
    expect(r.t1612_activity).toBe('api_client');
    expect(r.t1612_reasons).toMatch(/:2375 by /);
  });

  test('sysmon-eid3-no-dest-fields: derived dest_port/dest_ip/event_kind fill the gaps', async () => {
    const [r] = await runCommand([{ _raw: EID3_2375, sourcetype: 'sysmon:linux' }]);
    expect(r.dest_port).toBe('2375');
    expect(r.dest_ip).toBe('104.46.127.225');
    expect(r.event_kind).toBe('network');
  });

  test('auditd-connect-socket-path-field: socket_path as sent stays', async () => {
    const raw = auditRecords('lab/auditd_raw.log', '3648').join('\n'); // docker CLI connect to docker.sock
    const [kept, filled] = await runCommand([
      { _raw: raw, host: 'a', sourcetype: 'linux:audit', socket_path: '/run/other.sock' },
      { _raw: raw, host: 'b', sourcetype: 'linux:audit' },
    ]);
    expect(kept.socket_path).toBe('/run/other.sock');
    expect(filled.socket_path).toBe('/var/run/docker.sock');
  });

  test('multivalue-CommandLine-no-process: process is a copy, multivalue encoding included', async () => {
    const values = ['docker build --no-cache -t x /tmp/x', 'second $value'];
    const [r] = await runCommand(
      [
        {
          CommandLine: values.join('\n'),
          __mv_CommandLine: '$docker build --no-cache -t x /tmp/x$;$second $$value$',
          sourcetype: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
        },
      ],
      ['cim=all'],
    );
    expect(r.process).toBe(values.join('\n'));
    expect(decodeMv(r.__mv_process)).toEqual(values);
    expect(decodeMv(r.__mv_CommandLine)).toEqual(values);
  });

  test('linux-secure-process-sudo: the syslog program in process stays; the command goes to CommandLine', async () => {
    const line = sampleLines('lab/auth_sudo.log').find((l) => l.includes('COMMAND='))!;
    const [r] = await runCommand([{ _raw: line, sourcetype: 'linux_secure', process: 'sudo' }]);
    expect(r.process).toBe('sudo');
    expect(r.CommandLine).toBe('/usr/local/bin/docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(r.alert_detail).not.toBe('');
  });
});
