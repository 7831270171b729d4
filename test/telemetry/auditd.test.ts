/** auditd parsers on the lab capture (RAW, ENRICHED, ausearch -i) and third-party real records. */
import { normaliseEvent } from '../../src/telemetry/normalise';
import { auditRecords, ausearchBlock, getterOf, labSteps, sample } from './samples';

const RAW = 'lab/auditd_raw.log';
const ENR = 'lab/auditd_enriched.log';
const n = (raw: string, sourcetype = 'linux:audit') => normaliseEvent(getterOf({ _raw: raw, sourcetype }));

/** Lab serials (auditd_raw.log): the docker CLI exec of steps t1 (under sudo) and t2. */
const T1_DOCKER = '2939';
const T1_BASH_WRAPPER = '2924';
const T1_SUDO_USER_CMD = '2935';
const T1_CONNECT = '2940';
const T2_DOCKER = '3587';

describe('auditd RAW, several records of one event (multi-line _raw)', () => {
  test('EXECVE args win; CWD gives the directory; SYSCALL gives pid/ppid/exe/comm/user', () => {
    const e = n(auditRecords(RAW, T1_DOCKER).join('\n'));
    expect(e.t1612_source).toBe('auditd:execve');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(labSteps().t1_sudo_build_nocache).toContain(e.process!);
    expect(e.process_current_directory).toBe('/tmp');
    expect(e.user).toBe('root');
    expect(e.process_path).toBe('/usr/local/bin/docker');
    expect(e.process_name).toBe('docker');
    expect(e.process_id).toMatch(/^\d+$/);
    expect(e.parent_process_id).toMatch(/^\d+$/);
    expect(e.event_kind).toBe('process');
  });

  test('the CWD record carries the context the command line hides (t2)', () => {
    const e = n(auditRecords(RAW, T2_DOCKER).join('\n'));
    expect(e.process).toBe('docker build -t t1612_ctxhome -f /tmp/atomictest_t1612/Dockerfile .');
    expect(e.process_current_directory).toBe('/home/labuser/proj');
  });

  test('hex-encoded EXECVE argument (contains spaces and quotes) is decoded', () => {
    const e = n(auditRecords(RAW, T1_BASH_WRAPPER).join('\n'));
    expect(e.process).toBe(
      "bash -c su labuser -c 'cd /tmp && sudo docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612'",
    );
  });

  test('without EXECVE, PROCTITLE (hex, NUL-separated) gives the command line; SOCKADDR the socket', () => {
    const recs = auditRecords(RAW, T1_CONNECT);
    expect(recs.some((r) => r.includes('type=EXECVE'))).toBe(false);
    const e = n(recs.join('\n'));
    expect(e.t1612_source).toBe('auditd:proctitle');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.socket_path).toBe('/var/run/docker.sock');
    expect(e.event_kind).toBe('socket_connect');
    expect(e.process_name).toBe('docker');
    expect(e.process_path).toBe('/usr/local/bin/docker');
  });
});

describe('auditd RAW, one record per event', () => {
  test('EXECVE alone', () => {
    const rec = auditRecords(RAW, T1_DOCKER).find((r) => r.startsWith('type=EXECVE'))!;
    const e = n(rec);
    expect(e.t1612_source).toBe('auditd:execve');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.process_name).toBe('docker');
  });
  test('PROCTITLE alone', () => {
    const rec = auditRecords(RAW, T1_BASH_WRAPPER).find((r) => r.startsWith('type=PROCTITLE'))!;
    const e = n(rec);
    expect(e.t1612_source).toBe('auditd:proctitle');
    expect(e.process).toBe(
      "bash -c su labuser -c 'cd /tmp && sudo docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612'",
    );
  });
  test('SOCKADDR alone: saddr hex → unix socket path', () => {
    const rec = auditRecords(RAW, T1_CONNECT).find((r) => r.startsWith('type=SOCKADDR'))!;
    expect(rec).toContain('saddr=01002F7661722F72756E2F646F636B65722E736F636B');
    const e = n(rec);
    expect(e.socket_path).toBe('/var/run/docker.sock');
    expect(e.event_kind).toBe('socket_connect');
  });
  test('USER_CMD (sudo, hex cmd=): command, directory and invoking user', () => {
    const rec = auditRecords(RAW, T1_SUDO_USER_CMD)[0];
    expect(rec.startsWith('type=USER_CMD')).toBe(true);
    const e = n(rec);
    expect(e.t1612_source).toBe('auditd:user_cmd');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.process_current_directory).toBe('/tmp');
    expect(e.user).toBe('uid:1001');
    expect(e.parent_process_name).toBe('sudo');
  });
  test('USER_CMD from go-libaudit RHEL7 (third-party)', () => {
    const rec = sample('auditd-real/go-libaudit_audit-rhel7.log')
      .split('\n')
      .find((l) => l.startsWith('type=USER_CMD'))!;
    const e = n(rec);
    expect(e.process).toBe('./metricbeat -c mb.dev.yml');
    expect(e.process_current_directory).toBe('/home/andrew_kroh');
    expect(e.user).toBe('uid:1000');
  });
  test('EXECVE with a hex argument holding newlines (go-libaudit jq record)', () => {
    const rec = sample('auditd-real/go-libaudit_audit-rhel7.log')
      .split('\n')
      .find((l) => l.includes('a0="jq"'))!;
    const e = n(rec);
    expect(e.process!.startsWith('jq . {\n')).toBe(true);
    expect(e.process).toContain('"dev": "08:01"');
  });
  test('long argument split as aN_len / aN[i] (pieces of the real t1 hex argument)', () => {
    const rec = auditRecords(RAW, T1_BASH_WRAPPER).find((r) => r.startsWith('type=EXECVE'))!;
    const hex = /a2=([0-9A-F]+)/.exec(rec)![1];
    const pieces = [hex.slice(0, 40), hex.slice(40, 100), hex.slice(100)];
    const split = rec.replace(
      /a2=[0-9A-F]+/,
      `a2_len=${hex.length / 2} ` + pieces.map((p, i) => `a2[${i}]=${p}`).join(' '),
    );
    expect(n(split).process).toBe(n(rec).process);
  });
});

describe('auditd ENRICHED (0x1D suffix)', () => {
  test('multi-record EXECVE event: user name from UID=', () => {
    const recs = auditRecords(ENR, T1_DOCKER);
    expect(recs.some((r) => r.includes('\x1d'))).toBe(true);
    const e = n(recs.join('\n'));
    expect(e.t1612_source).toBe('auditd-enriched:execve');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.process_current_directory).toBe('/tmp');
    expect(e.user).toBe('root');
  });
  test('USER_CMD: UID="labuser"', () => {
    const e = n(auditRecords(ENR, T1_SUDO_USER_CMD)[0]);
    expect(e.user).toBe('labuser');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
  });
  test('SOCKADDR: SADDR={ saddr_fam=local path=… }', () => {
    const e = n(auditRecords(ENR, T1_CONNECT).join('\n'));
    expect(e.socket_path).toBe('/var/run/docker.sock');
  });
  test('every RAW event normalises like its ENRICHED twin (except the user name)', () => {
    for (const serial of [T1_DOCKER, T1_BASH_WRAPPER, T2_DOCKER, T1_CONNECT, '3617', '3690']) {
      const a = n(auditRecords(RAW, serial).join('\n'));
      const b = n(auditRecords(ENR, serial).join('\n'));
      expect(b.process).toBe(a.process);
      expect(b.process_current_directory).toBe(a.process_current_directory);
      expect(b.process_id).toBe(a.process_id);
    }
  });
});

describe('ausearch -i (interpreted text, Splunk TA nix `auditd`)', () => {
  test('EXECVE block', () => {
    const e = n(ausearchBlock(T1_DOCKER), 'auditd');
    expect(e.t1612_source).toBe('ausearch:execve');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.process_current_directory).toBe('/tmp');
    expect(e.user).toBe('root');
    expect(e.process_path).toBe('/usr/local/bin/docker');
  });
  test('EXECVE argument with spaces and quotes stays whole', () => {
    expect(n(ausearchBlock(T1_BASH_WRAPPER), 'auditd').process).toBe(
      n(auditRecords(RAW, T1_BASH_WRAPPER).join('\n')).process,
    );
  });
  test('USER_CMD block: cmd= and cwd= decoded by ausearch; unknown(1001) → uid:1001', () => {
    const e = n(ausearchBlock(T1_SUDO_USER_CMD), 'auditd');
    expect(e.t1612_source).toBe('ausearch:user_cmd');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.process_current_directory).toBe('/tmp');
    expect(e.user).toBe('uid:1001');
  });
  test('connect block: proctitle and socket path', () => {
    const e = n(ausearchBlock(T1_CONNECT), 'auditd');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.socket_path).toBe('/var/run/docker.sock');
  });
  test('also recognised with the `----` separator inside _raw and no sourcetype', () => {
    const e = normaliseEvent(getterOf({ _raw: '----\n' + ausearchBlock(T2_DOCKER) }));
    expect(e.process_current_directory).toBe('/home/labuser/proj');
  });
});

/** What `| stats values(*) by host, msg` gives for the records of one event: KV fields, multivalues LF-joined. */
function statsValues(records: string[]): Record<string, string> {
  const acc: Record<string, Set<string>> = {};
  for (const r of records) {
    const body = r.replace(/^type=(\S+) msg=audit\([^)]*\):\s*/, (_, t: string) => {
      (acc.type ??= new Set()).add(t);
      return '';
    });
    for (const m of body.split('\x1d')[0].matchAll(/(\w+)=("[^"]*"|'[^']*'|\S+)/g))
      (acc[m[1]] ??= new Set()).add(m[2].replace(/^["']|["']$/g, ''));
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(acc)) out[k] = [...v].sort().join('\n');
  return out;
}

describe('records gathered by SPL stats values(*) by host, msg', () => {
  test('EXECVE a0 mixed with SYSCALL a0: the register is dropped, args decoded, cwd kept', () => {
    const f = statsValues(auditRecords(RAW, T1_DOCKER));
    expect(f.a0.split('\n').length).toBe(2); // SYSCALL register + "docker"
    const e = normaliseEvent(getterOf({ ...f, sourcetype: 'linux:audit', host: 'vm' }));
    expect(e.t1612_source).toBe('auditd-fields:execve');
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.process_current_directory).toBe('/tmp');
    expect(e.user).toBe('root');
    expect(e.dest).toBe('vm');
  });
  test('hex EXECVE argument through fields', () => {
    const e = normaliseEvent(getterOf({ ...statsValues(auditRecords(RAW, T1_BASH_WRAPPER)), sourcetype: 'auditd' }));
    expect(e.process).toBe(n(auditRecords(RAW, T1_BASH_WRAPPER).join('\n')).process);
  });
  test('no EXECVE: PROCTITLE hex through fields', () => {
    const e = normaliseEvent(getterOf({ ...statsValues(auditRecords(RAW, T1_CONNECT)), sourcetype: 'auditd' }));
    expect(e.process).toBe('docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(e.socket_path).toBe('/var/run/docker.sock');
  });
});

describe('third-party auditd', () => {
  test('go-libaudit: a real `docker inspect` event (YAML literal block, stray quote kept as in the source)', () => {
    const yaml = sample('auditd-real/go-libaudit_ubuntu-17.04-linux-4.10.0.yaml');
    const block = yaml
      .split('\n')
      .filter((l) => l.includes(':124507):'))
      .map((l) => l.trim());
    const e = n(block.join('\n'));
    expect(e.process).toBe('docker inspect 721df12151a7');
    expect(e.process_current_directory).toBe('/home/andrew_kroh');
    expect(e.process_path).toBe('/usr/bin/docker');
  });
  test('OTRF dd quintet', () => {
    const e = n(sample('auditd-real/otrf_sh_binary_padding_dd_2020-11-10081941.log'));
    expect(e.process).toBe('dd if=/dev/zero bs=1 count=1');
    expect(e.process_current_directory).toBe('/home/wardog');
    expect(e.user).toBe('uid:1000');
  });
});
