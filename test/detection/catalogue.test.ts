/**
 * The catalogue-driven pieces: the option walker, the argv splitters (no shell operators inside one
 * process's argv), the API text parsers (linear, capped), the rules table, and the prefilter vocabulary
 * derived from the catalogue.
 */
import { optSpec, walkOptions, flagSet, optValue } from '../../src/detection/model/option-walker';
import { splitJoined, splitPosix, splitWindows, throughWrappers } from '../../src/detection/model/argv';
import { apiEndpoint, parseUrl, queryParams, readCreateBody } from '../../src/detection/model/http';
import { TOOL_NAMES, TOOLS } from '../../src/detection/model/catalogue';
import { EVIDENCE_PREFILTER, LINE_PREFILTER } from '../../src/detection/model/prefilter';
import { DEFAULT_WEIGHTS, RULES, SIGNALS, TIERS } from '../../src/detection/model/rules';
import { SEED_WEIGHTS } from '../../src/detection/seed';
import { T1612_OPTIONS } from '../../src/command/options';
import { detect, ModelEvent } from '../../src/detection/model';
import { resolvePath, tempRoot } from '../../src/detection/model/paths';

const ev = (process: string, extra: Partial<ModelEvent> = {}): ModelEvent => ({
  t1612_source: 'test',
  event_kind: 'process',
  process,
  ...extra,
});

describe('option walker', () => {
  const spec = optSpec('-f|--file -t|--tag', '-q|--quiet');
  it.each([
    [['-f', 'D', '-t', 'x', '.'], 'D', 'x', ['.']],
    [['--file=D', '--tag', 'x', 'ctx'], 'D', 'x', ['ctx']],
    [['-fD', '-tx', 'ctx'], 'D', 'x', ['ctx']],
    [['-qf', 'D', 'ctx'], 'D', undefined, ['ctx']],
    [['-f=D', '--', '-t', 'x'], 'D', undefined, ['-t', 'x']],
  ])('%j', (argv, file, tag, pos) => {
    const w = walkOptions(argv, 0, spec);
    expect(optValue(w, '-f')?.value).toBe(file);
    expect(optValue(w, '-t')?.value).toBe(tag);
    expect(w.positionals).toEqual(pos);
  });
  it('flags: --no-cache, --no-cache=true set; --no-cache=false not', () => {
    expect(flagSet(walkOptions(['--no-cache'], 0, spec), '--no-cache')).toBeDefined();
    expect(flagSet(walkOptions(['--no-cache=true'], 0, spec), '--no-cache')).toBeDefined();
    expect(flagSet(walkOptions(['--no-cache=false'], 0, spec), '--no-cache')).toBeUndefined();
  });
  it('stops at the first positional for global options', () => {
    const w = walkOptions(['docker', '-H', 'tcp://h:2375', '--debug', 'build', '.'], 1, optSpec('-H|--host'), true);
    expect(w.next).toBe(4);
  });
});

describe('argv of one process: operators are argument text', () => {
  it('joined (auditd): & ; | stay inside the arguments', () => {
    expect(splitJoined('docker build --build-arg U=http://x/?a=1&b=2 --label a;b .').argv).toEqual([
      'docker',
      'build',
      '--build-arg',
      'U=http://x/?a=1&b=2',
      '--label',
      'a;b',
      '.',
    ]);
  });
  it('POSIX quotes group, no operators', () => {
    expect(splitPosix(`docker build --label "a; b" 'c|d' e\\ f`).argv).toEqual([
      'docker',
      'build',
      '--label',
      'a; b',
      'c|d',
      'e f',
    ]);
  });
  it('Windows: CommandLineToArgvW, & is text', () => {
    expect(splitWindows('"C:\\Program Files\\Docker\\docker.exe" build --label "a & b" C:\\x\\').argv).toEqual([
      'C:\\Program Files\\Docker\\docker.exe',
      'build',
      '--label',
      'a & b',
      'C:\\x\\',
    ]);
  });
  it('arguments are capped and the cap is named', () => {
    const r = splitJoined('docker build ' + 'x '.repeat(5000));
    expect(r.argv.length).toBe(4096);
    expect(r.truncated).toBe('args per command cap 4096');
  });
  it.each([
    [
      ['sudo', '-u', 'root', 'env', 'A=1', 'nohup', 'docker', 'build', '.'],
      ['docker', 'build', '.'],
    ],
    [
      ['timeout', '-k', '5', '300', 'docker', 'build', '.'],
      ['docker', 'build', '.'],
    ],
    [
      ['wsl.exe', '-d', 'Ubuntu', '-e', 'docker', 'build', '.'],
      ['docker', 'build', '.'],
    ],
    [
      ['wsl', '--', 'docker', 'build', '.'],
      ['docker', 'build', '.'],
    ],
  ])('wrappers from the catalogue: %j', (argv, want) => expect(throughWrappers(argv, undefined).argv).toEqual(want));
  it('an & inside a build-arg does not cut the context (auditd)', () => {
    const d = detect(
      ev('docker build --build-arg URL=http://x/?a=1&b=2 -t x /tmp/x', { t1612_source: 'auditd:execve' }),
    );
    expect(d.t1612_reasons).toEqual(['context in /tmp: /tmp/x']);
  });
});

describe('API text', () => {
  it.each([
    ['http://10.0.0.5:2375/v1.41/build?t=x', '10.0.0.5', '2375', 'build'],
    ['localhost:4243/build', 'localhost', '4243', 'build'],
    ['http:/v1.41/images/create?fromSrc=-', '', '', 'images/create'],
    ['tcp://h:2376', 'h', '2376', ''],
  ])('%s', (u, host, port, ep) => {
    const p = parseUrl(u.startsWith('localhost') ? u : u)!;
    expect([p.host, p.port, apiEndpoint(p.path)]).toEqual([host, port, ep]);
  });
  it('query parameters are decoded and capped', () => {
    expect(queryParams('remote=http%3A%2F%2Fx&t=a+b').get('remote')).toBe('http://x');
    expect(queryParams('a=1&'.repeat(1000)).size).toBe(1);
  });
  it('containers/create body: binds, mounts, privileged, pid host — also cut off', () => {
    const b = readCreateBody(
      '{"Image":"alpine","HostConfig":{"Binds":["/var/run/docker.sock:/var/run/docker.sock","/:/host"],"Mounts":[{"Source":"/run"}],"Privileged":true,"PidMode":"host"',
    );
    expect(b).toEqual({
      binds: ['/var/run/docker.sock:/var/run/docker.sock', '/:/host'],
      mountSources: ['/run'],
      privileged: true,
      pidHost: true,
      image: 'alpine',
    });
  });
  it('"Binds":[ repeated without a closing bracket: one pass, capped (was quadratic)', () => {
    const b = readCreateBody('{"HostConfig":' + '"Binds":["/a",'.repeat(50000));
    expect(b.binds.length).toBeGreaterThan(1000);
    expect(b.binds.every((x) => x === '/a')).toBe(true);
  });
});

describe('rules table', () => {
  it("keeps the seed's four weights and derives SIGNALS, weights and the command options from one table", () => {
    for (const [k, v] of Object.entries(SEED_WEIGHTS)) expect(DEFAULT_WEIGHTS[k as keyof typeof SEED_WEIGHTS]).toBe(v);
    expect(SIGNALS).toEqual(RULES.map((r) => r.name));
    for (const s of SIGNALS) expect(Object.keys(T1612_OPTIONS)).toContain(`weight_${s}`);
    for (const t of TIERS) for (const s of t.when) expect(SIGNALS).toContain(s);
  });
  it.each(SIGNALS.filter((s) => DEFAULT_WEIGHTS[s] >= 2))('%s alone reaches the default threshold', (s) =>
    expect(DEFAULT_WEIGHTS[s]).toBeGreaterThanOrEqual(2),
  );
});

describe('catalogue → prefilter', () => {
  it.each(
    TOOL_NAMES.filter(
      (n) =>
        ![
          'curl',
          'wget',
          'http',
          'https',
          'xh',
          'socat',
          'nc',
          'ncat',
          'netcat',
          'nc.openbsd',
          'nc.traditional',
          'invoke-webrequest',
          'iwr',
          'invoke-restmethod',
          'irm',
        ].includes(n),
    ),
  )('builder %s passes the prefilters (plain and auditd RAW)', (name) => {
    expect(LINE_PREFILTER.test(`${name} build -t x .`)).toBe(true);
    expect(EVIDENCE_PREFILTER.test(`type=EXECVE msg=audit(1:2): argc=3 a0="${name}" a1="build" a2="."`)).toBe(true);
  });
  it('every tool row has at least one name and one command', () => {
    for (const r of TOOLS) {
      expect(r.names.length).toBeGreaterThan(0);
      expect(Object.keys(r.commands).length).toBeGreaterThan(0);
    }
  });
  it.each([
    `sh -c "d''ocker bu''ild ."`,
    'curl -X POST http://10.0.0.5:4243/build',
    'type=SOCKADDR msg=audit(1:2): saddr=020009470A0000050000000000000000',
  ])('API and obfuscation evidence passes: %s', (t) => expect(EVIDENCE_PREFILTER.test(t)).toBe(true));
});

describe('writable roots', () => {
  it.each([
    ['C:\\Windows\\SystemTemp\\b', '\\Windows\\SystemTemp'],
    ['C:\\Users\\ADMINI~1\\AppData\\Local\\Temp\\b', '%TEMP%'],
    ['C:\\Users\\ADMINI~1\\APPDAT~1\\Local\\Temp\\b', '%TEMP%'],
    ['C:\\Users\\Public\\x', '\\Users\\Public'],
    ['/run/shm/x', '/run/shm'],
    ['/tmp/devcontainercli-alice/container-features/1/Dockerfile.extended', undefined],
    ['C:\\Users\\u\\AppData\\Local\\Temp\\devcontainercli-u\\x', undefined],
    ['/home/u/tmp/x', undefined],
    ['/mnt/c/Users/Public/Downloads/x', '\\Users\\Public'],
    ['/mnt/d/Windows/Temp/x', '\\Windows\\Temp'],
    ['/mnt/c/Users/u/src/app', undefined],
    ['/mnt/data/tmp/x', undefined],
  ])('%s → %s', (p, root) => expect(tempRoot(p)).toBe(root));
});

describe('evasion by complexity and renamed builders', () => {
  it('a capped command line that names a builder fires evasion_complexity and alerts alone', () => {
    const d = detect(ev('docker build ' + 'x '.repeat(5000) + '/tmp/x'));
    expect(d.t1612_truncated).toBe('args per command cap 4096');
    expect(d.evasion_complexity).toBe(1);
    expect(d.alert_detail).toBe('HIGH: Builder or Docker API hidden in an over-complex command line');
  });
  it('a capped command line that names no builder does not fire', () => {
    const d = detect(ev('echo ' + 'x '.repeat(5000)));
    expect([d.t1612_activity, d.evasion_complexity, d.risk_score]).toEqual(['none', 0, 0]);
  });
  it('argv0 spoofed: Image / exe names docker', () => {
    const d = detect(
      ev('[kworker/0:1] build -t k .', { process_path: '/usr/bin/docker', process_current_directory: '/home/u' }),
    );
    expect([d.t1612_activity, d.masquerade]).toEqual(['build', 1]);
    const w = detect(
      ev('svchost.exe build -t s .', {
        process_path: 'C:\\Users\\Public\\svchost.exe',
        original_file_name: 'docker.exe',
      }),
    );
    expect([w.t1612_activity, w.masquerade, w.writable_exe]).toEqual(['build', 1, 1]);
  });
});

describe('launch context and path details', () => {
  it.each(['/dev/stdin', '/proc/self/fd/0'])('-f %s is a Dockerfile on stdin', (p) =>
    expect(detect(ev(`docker build -f ${p} .`, { process_current_directory: '/home/u' })).stdin_dockerfile).toBe(1),
  );
  it.each([
    ['%LOCALAPPDATA%\\Temp\\b', '%TEMP%'],
    ['$env:LOCALAPPDATA/Temp/b', '%TEMP%'],
    ['%USERPROFILE%\\AppData\\Local\\Temp\\b', '%TEMP%'],
    ['%PUBLIC%\\b', '\\Users\\Public'],
    ['$env:ProgramData\\b', '\\ProgramData'],
    ['%SystemRoot%\\Temp\\b', '\\Windows\\Temp'],
    ['%USERPROFILE%\\src\\app', undefined],
    ['%windir%\\System32', undefined],
    ['%APPDATA%\\b', undefined],
  ])('unexpanded %s (cmd / PowerShell variable) → %s', (arg, root) => {
    const p = resolvePath(arg, undefined);
    expect(p === undefined ? undefined : tempRoot(p)).toBe(root);
  });
  it('commit: the target is the last operand, even when a rejoined --change value split into words', () => {
    const d = detect(ev('docker commit -c CMD ["/x"] 3f2a nginx:latest', { process_current_directory: '/root' }));
    expect([d.t1612_activity, d.t1612_image, d.commit_trusted]).toEqual(['commit', 'nginx:latest', 1]);
    expect(detect(ev('docker commit 3f2a', { process_current_directory: '/root' })).commit_trusted).toBe(0);
  });
  it('RAW auditd web server uids (www-data 33, apache 48) are web server accounts; other uids are not', () => {
    const run = (user: string) =>
      detect(ev('sh -c docker build -t a /srv/app', { user, process_current_directory: '/srv/app' })).suspicious_parent;
    expect([run('uid:48'), run('uid:33'), run('uid:1000'), run('uid:330')]).toEqual([1, 1, 0, 0]);
  });
  it('C:\\ProgramData is a writable root', () => expect(tempRoot('C:\\ProgramData\\x\\ctx')).toBe('\\ProgramData'));
  it('build-push-action without cwd or lineage: its toolkit temp file says CI, the git context is a hint', () => {
    const d = detect(
      ev('docker buildx build --iidfile /tmp/docker-actions-toolkit-Q/iidfile -t o/r:1 https://github.com/o/r.git#abc'),
    );
    expect([d.external_file, d.alert_detail]).toEqual([0, undefined]);
  });
  it('PowerShell -ExecutionPolicy Bypass -File from a writable folder is a suspicious launcher', () => {
    const d = detect(
      ev('docker build -t x .', {
        process_current_directory: 'C:\\src\\x',
        parent_process: 'powershell.exe -ep bypass -File C:\\Users\\Public\\b.ps1',
      }),
    );
    expect(d.t1612_reasons).toEqual([
      'launched by script in \\Users\\Public: powershell.exe -ep bypass -File C:\\Users\\Public\\b.ps1',
    ]);
  });
  it('quote obfuscation survives in auditd hex (prefilter)', () => {
    const a2 = Buffer.from(`d''ocker build .`).toString('hex').toUpperCase();
    expect(EVIDENCE_PREFILTER.test(`type=EXECVE msg=audit(1:2): argc=3 a0="sh" a1="-c" a2=${a2}`)).toBe(true);
  });
});

it("exec -a inside a script renames the builder's argv0: masquerade", () => {
  const d = detect(
    ev(`bash -c "exec -a '[kworker/0:1]' docker build -t k ."`, { process_current_directory: '/home/u' }),
  );
  expect([d.t1612_activity, d.masquerade, d.alert_detail]).toEqual([
    'build',
    1,
    'HIGH: Image builder run under a false name',
  ]);
  expect(detect(ev(`bash -c "exec docker build -t k ."`, { process_current_directory: '/home/u' })).masquerade).toBe(0);
});

it.each([
  ['bash -c "DOCKER_HOST=tcp://10.0.0.5:2375 docker build -t m ."', 1],
  ['bash -c "DOCKER_HOST=tcp://localhost:2375 docker build -t m ."', 0],
])('DOCKER_HOST to a remote plain API in the launching script: %s', (line, fired) =>
  expect(detect(ev(line, { process_current_directory: '/home/u' })).api_tcp_connect).toBe(fired),
);

it('import onto an official name is image poisoning like a commit', () => {
  const d = detect(ev('docker import /home/u/rootfs.tar ubuntu:latest', { process_current_directory: '/home/u' }));
  expect([d.t1612_activity, d.commit_trusted, d.alert_detail]).toEqual([
    'import',
    1,
    'HIGH: Image created under an official image name',
  ]);
});

it.each([
  ['C:\\GitLab-Runner\\builds\\g\\p', 'CI runner workspace'],
  ['/home/circleci/project', 'CI runner workspace'],
])('CI workspaces on other runners: %s', (cwd, hint) => {
  const d = detect(ev('docker build -t x https://github.com/o/r.git', { process_current_directory: cwd }));
  expect(d.external_file).toBe(0);
  expect(d.t1612_hints?.[0]).toContain(hint);
});
