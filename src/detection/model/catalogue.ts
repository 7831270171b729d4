// size: the catalogue is one table of data rows (tools, options, paths, launchers); splitting it would scatter the model.
/**
 * The catalogue: what the model knows about the world, as data. Tools (executable names, their
 * subcommands and which options take values), wrappers, Docker API paths and ports, the daemon and its
 * helpers, writable-path roots, CI runners and launchers. Adding a tool is one TOOLS row (plus tests);
 * prefilter.ts derives the search vocabulary from these rows. Everything is compiled into Sets/Maps once
 * at module load: nothing here costs per event.
 */
import { optSpec, OptSpec } from './option-walker';

/** How a recognised subcommand is read (families/*.ts). */
export type Analyser =
  | 'build'
  | 'compose'
  | 'bake'
  | 'buildctl'
  | 'kaniko'
  | 'run'
  | 'import'
  | 'load'
  | 'commit'
  | 'http'
  | 'pwsh-http'
  | 'raw-socket';

export interface ToolRow {
  /** Executable basenames (lower case, without `.exe`). */
  readonly names: readonly string[];
  /** Shown as t1612_tool (`docker`, `podman`, …); the basename when absent. */
  readonly tool?: string;
  /** Global options that take a value (before the subcommand). */
  readonly globals?: string;
  /** Subcommand paths → analyser; `''` = the executable itself is the command (kaniko executor). */
  readonly commands: Readonly<Record<string, Analyser>>;
}

const DOCKER_GLOBALS = '-H|--host -c|--context --config -l|--log-level --tlscacert --tlscert --tlskey';
const PODMAN_GLOBALS =
  '--url --connection --identity --root --runroot --storage-driver --storage-opt --cgroup-manager --events-backend ' +
  '--runtime --runtime-flag --tmpdir --conmon --module --network-cmd-path --imagestore --volumepath --ssh ' +
  '--registries-conf --registries-conf-dir --userns-uid-map --userns-gid-map --log-level';
const NERDCTL_GLOBALS =
  '-n|--namespace -a|--address --host --snapshotter --data-root --cni-path --cni-netconfpath --hosts-dir ' +
  '--host-gateway-ip --cgroup-manager --storage-driver';
const BUILDX_GLOBALS = '--builder';

/** Subcommands shared by the docker-compatible CLIs. */
const DOCKER_COMMANDS: Record<string, Analyser> = {
  build: 'build',
  'image build': 'build',
  'builder build': 'build',
  'buildx build': 'build',
  'buildx b': 'build',
  'buildx bake': 'bake',
  bake: 'bake',
  compose: 'compose',
  run: 'run',
  create: 'run',
  'container run': 'run',
  'container create': 'run',
  import: 'import',
  'image import': 'import',
  load: 'load',
  'image load': 'load',
  commit: 'commit',
  'container commit': 'commit',
};

export const TOOLS: readonly ToolRow[] = [
  {
    names: ['docker', 'com.docker.cli'],
    tool: 'docker',
    globals: `${DOCKER_GLOBALS} ${BUILDX_GLOBALS}`,
    commands: DOCKER_COMMANDS,
  },
  { names: ['podman', 'podman-remote'], globals: PODMAN_GLOBALS, commands: DOCKER_COMMANDS },
  { names: ['nerdctl'], globals: NERDCTL_GLOBALS, commands: DOCKER_COMMANDS },
  { names: ['finch'], globals: DOCKER_GLOBALS, commands: DOCKER_COMMANDS },
  {
    names: ['docker-buildx'],
    tool: 'docker buildx',
    globals: BUILDX_GLOBALS,
    commands: {
      build: 'build',
      b: 'build',
      bake: 'bake',
      'buildx build': 'build',
      'buildx b': 'build',
      'buildx bake': 'bake',
    },
  },
  { names: ['docker-compose'], commands: { '': 'compose' } },
  {
    names: ['buildah'],
    globals: PODMAN_GLOBALS,
    commands: { bud: 'build', build: 'build', 'build-using-dockerfile': 'build', commit: 'commit' },
  },
  { names: ['img'], globals: '-b|--backend -s|--state', commands: { build: 'build', load: 'load' } },
  {
    names: ['buildctl', 'buildctl-daemonless.sh'],
    tool: 'buildctl',
    globals: '--addr --tlsservername --tlscacert --tlscert --tlskey --tlsdir --timeout --log-format',
    commands: { build: 'buildctl' },
  },
  { names: ['kaniko', 'kaniko-executor'], tool: 'kaniko', commands: { '': 'kaniko' } },
  {
    names: ['ctr'],
    globals: '-a|--address -n|--namespace --timeout --connect-timeout',
    commands: { 'images import': 'import', 'image import': 'import', 'i import': 'import' },
  },
  { names: ['curl', 'wget', 'http', 'https', 'xh'], commands: { '': 'http' } },
  { names: ['invoke-webrequest', 'iwr', 'invoke-restmethod', 'irm'], commands: { '': 'pwsh-http' } },
  { names: ['socat', 'nc', 'ncat', 'netcat', 'nc.openbsd', 'nc.traditional'], commands: { '': 'raw-socket' } },
];

/** kaniko's binary is called `executor`: it counts only under /kaniko/ or with kaniko's own options. */
export const KANIKO_EXECUTOR = 'executor';

// ---- options of the analysers (value-taking options; flags need no listing) -----------------------------

export const BUILD_OPTS = optSpec(
  '-f|--file -t|--tag --build-arg --build-arg-file --label --target --network --platform --progress --secret ' +
    '--ssh --cache-from --cache-to --iidfile --output|-o --add-host --cgroup-parent --cpu-period --cpu-quota ' +
    '--cpu-shares|-c --cpuset-cpus --cpuset-mems --memory|-m --memory-swap --shm-size --ulimit --isolation ' +
    '--security-opt --build-context --metadata-file --attest --annotation --allow --builder --call ' +
    '--no-cache-filter --authfile --arch --os --variant --creds --cert-dir --decryption-key --dns --dns-option ' +
    '--dns-search --format --from --ignorefile --jobs --logfile --manifest --runtime --runtime-flag --sign-by ' +
    '--signature-policy --timestamp --userns --userns-uid-map --userns-gid-map --userns-uid-map-user ' +
    '--userns-gid-map-group --uts --ipc --pid --volume|-v --env --unsetenv --unsetlabel --retry --retry-delay ' +
    '--layer-label --hooks-dir --cache-ttl --device --group-add --cw --cpp-flag --os-feature --os-version ' +
    '--platforms --source-date-epoch --rewrite-timestamp --policy -s|--state -b|--backend',
);
export const BAKE_OPTS = optSpec('-f|--file --set --progress --metadata-file --builder --allow --call --list');
export const COMPOSE_GLOBAL_OPTS = optSpec(
  '-f|--file -p|--project-name --project-directory --profile --env-file --ansi --progress --parallel',
);
/** Compose subcommands that build: `build` always, these with `--build`. */
export const COMPOSE_BUILDS = new Set(['build']);
export const COMPOSE_BUILD_FLAG = new Set(['up', 'run', 'create', 'start', 'watch']);
export const BUILDCTL_OPTS = optSpec(
  '--frontend --local --opt --output|-o --export-cache --import-cache --secret --ssh --progress --trace ' +
    '--metadata-file --allow --registry-auth-tlscontext --source-policy-file --ref-file',
);
export const KANIKO_OPTS = optSpec(
  '-c|--context -f|--dockerfile -d|--destination --context-sub-path --build-arg --cache-repo --cache-dir ' +
    '--label --target --tar-path --digest-file --image-name-with-digest-file --registry-mirror --snapshot-mode ' +
    '--verbosity --ignore-path --custom-platform --kaniko-dir',
);
export const RUN_OPTS = optSpec(
  '-v|--volume --mount -e|--env --env-file -p|--publish --name --network|--net -u|--user -w|--workdir ' +
    '--entrypoint -l|--label --label-file --pid --ipc --uts --userns --cgroupns --cap-add --cap-drop ' +
    '--security-opt --device --add-host --dns --dns-option --dns-search -h|--hostname --restart --log-driver ' +
    '--log-opt -m|--memory --cpus --gpus --platform --pull --runtime --stop-signal --stop-timeout --tmpfs ' +
    '--ulimit --volumes-from --link --expose --health-cmd --health-interval --health-retries --health-timeout ' +
    '--health-start-period --health-start-interval --isolation --mac-address --ip --ip6 --cidfile ' +
    '--cgroup-parent --cpu-period --cpu-quota --cpu-rt-period --cpu-rt-runtime --cpu-shares|-c --cpuset-cpus ' +
    '--cpuset-mems --memory-reservation --memory-swap --memory-swappiness --kernel-memory --blkio-weight ' +
    '--device-cgroup-rule --annotation --attach|-a --detach-keys --domainname --group-add --oom-score-adj ' +
    '--shm-size --storage-opt --sysctl --volume-driver --link-local-ip --network-alias --pids-limit ' +
    '--blkio-weight-device --device-read-bps --device-write-bps --device-read-iops --device-write-iops --pod ' +
    '--secret --arch --os --authfile --chrootdirs --conmon-pidfile --image-volume --requires --timezone ' +
    '--passwd-entry --umask --uidmap --gidmap --subuidname --subgidname --variant --runtime-flag --sdnotify ' +
    '--seccomp-policy --preserve-fd --hostuser --group-entry --init-path --log-level --name-prefix --pidfile ' +
    '--rdt-class --decryption-key --personality',
);
export const IMPORT_OPTS = optSpec('-c|--change -m|--message --platform --index-name --base-name --snapshotter');
export const LOAD_OPTS = optSpec('-i|--input --platform');
// buildah-commit(1): --rm, --squash, --omit-history and --identity-label are booleans (no separate value).
export const COMMIT_OPTS = optSpec(
  '-a|--author -c|--change -m|--message -f|--format --iidfile --sign-by --authfile --cert-dir --creds ' +
    '--encryption-key --timestamp --manifest --add-file --annotation --unsetenv --signature-policy',
);
export const CURL_OPTS = optSpec(
  '--unix-socket --abstract-unix-socket -X|--request -H|--header -d|--data --data-binary --data-raw ' +
    '--data-urlencode --data-ascii --json -T|--upload-file -o|--output -u|--user -F|--form --form-string --url ' +
    '-A|--user-agent -e|--referer -b|--cookie -c|--cookie-jar -K|--config -m|--max-time --connect-timeout ' +
    '-w|--write-out --cacert -E|--cert --key -x|--proxy --resolve --connect-to -r|--range --retry --interface ' +
    '--local-port -Y|--speed-limit -y|--speed-time -z|--time-cond -C|--continue-at --limit-rate ' +
    '--max-filesize --capath --ciphers -D|--dump-header --trace --trace-ascii --stderr --expect100-timeout ' +
    '--variable --oauth2-bearer ' +
    // wget
    '--post-file --body-file --post-data --body-data --method --output-document|-O --password -P|--directory-prefix ' +
    '-a|--append-output -i|--input-file -U',
);

// ---- wrappers: one table for a process's own argv (argv.ts) and for commands inside scripts (unwrap.ts) -------

export interface WrapperRow {
  readonly spec: OptSpec;
  /** NAME=VALUE words may precede the command. */
  readonly assignments?: boolean;
  /** Positionals of the wrapper itself before the command (timeout's DURATION). */
  readonly positionals?: number;
  /** Options (canonical names) that move the working directory. */
  readonly chdir?: ReadonlySet<string>;
  /** Options after which the wrapper runs no command (`sudo -l`, `command -v`). */
  readonly stop?: ReadonlySet<string>;
  /** Options (canonical names) whose value is itself a command line (`env -S`). */
  readonly split?: ReadonlySet<string>;
  /** The split value is the whole command: later words are the wrapper's own operands (`script -c '…' file`). */
  readonly splitWhole?: boolean;
  /** `-10` style numeric options (nice). */
  readonly numeric?: boolean;
}

const set = (...v: string[]): ReadonlySet<string> => new Set(v);

// prettier-ignore
export const WRAPPERS: ReadonlyMap<string, WrapperRow> = new Map<string, WrapperRow>([
  ['sudo', {
    spec: optSpec(
      '-C|--close-from -D|--chdir -g|--group -h|--host -p|--prompt -R|--chroot -r|--role -t|--type -T|--command-timeout -U|--other-user -u|--user',
    ),
    assignments: true,
    chdir: set('-D'),
    stop: set('-e', '--edit', '-l', '--list', '-v', '--validate', '-k', '-K', '--reset-timestamp', '--remove-timestamp',
      '-V', '--version', '-h', '--help'),
  }],
  ['doas', { spec: optSpec('-u -C'), stop: set('-L') }],
  ['env', {
    spec: optSpec('-u|--unset -C|--chdir -S|--split-string'), assignments: true, chdir: set('-C'), split: set('-S'),
  }],
  ['nohup', { spec: optSpec('') }],
  ['timeout', { spec: optSpec('-s|--signal -k|--kill-after'), positionals: 1 }],
  ['nice', { spec: optSpec('-n|--adjustment'), numeric: true }],
  ['exec', { spec: optSpec('-a') }],
  ['command', { spec: optSpec(''), stop: set('-v', '-V') }],
  ['setsid', { spec: optSpec('') }],
  ['stdbuf', { spec: optSpec('-i|--input -o|--output -e|--error') }],
  ['ionice', { spec: optSpec('-c|--class -n|--classdata -p'), stop: set('-p', '--pid', '-P', '--pgid', '-u', '--uid') }],
  ['chronic', { spec: optSpec('') }],
  ['time', { spec: optSpec('-f|--format -o|--output') }],
  // coreutils chroot(8) NEWROOT command…; util-linux nsenter(1), script(1) -c; findutils xargs(1)
  ['chroot', { spec: optSpec('--userspec --groups'), positionals: 1 }],
  ['nsenter', { spec: optSpec('-t|--target -S|--setuid -G|--setgid') }],
  ['xargs', {
    spec: optSpec('-a|--arg-file -d|--delimiter -E -I -L|--max-lines -n|--max-args -P|--max-procs -s|--max-chars --process-slot-var'),
  }],
  ['script', { spec: optSpec('-c|--command -E|--echo -I|--log-in -O|--log-out -T|--log-timing -B|--log-io -m|--logging-format'), split: set('-c'), splitWhole: true }],
  // wsl [-d distro] [-u user] [--cd dir] [-e|--exec|--] command…
  ['wsl', { spec: optSpec('-d|--distribution -u|--user --cd --shell-type', '-e|--exec'), chdir: set('--cd') }],
]);

/** Shells and script runners: their argv is unwrapped as a script (unwrap.ts), never read as one argv. */
// prettier-ignore
export const SCRIPT_RUNNERS = new Set([
  'sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'rbash', 'fish', 'tcsh', 'csh', 'busybox', 'toybox', 'su',
  'runuser', 'cmd', 'powershell', 'pwsh',
]);

// ---- the daemon side --------------------------------------------------------------------------------

/** The docker CLI, daemon and their helpers: their own docker.sock / API-port connects are not API use. */
// prettier-ignore
export const DOCKER_OWN = new Set([
  'docker', 'dockerd', 'docker-proxy', 'docker-init', 'containerd', 'runc', 'docker-buildx', 'docker-compose',
  'com.docker.cli', 'com.docker.backend', 'com.docker.proxy', 'com.docker.build', 'com.docker.vpnkit', 'vpnkit',
  'buildkitd', 'podman', 'nerdctl', 'finch', 'ctr', 'containerd-shim', 'docker desktop', 'dockerd-rootless.sh',
  'rootlesskit', 'slirp4netns',
]);
/** Documented Docker API clients (vendor docs): their socket/port connects are not scored. */
// prettier-ignore
export const KNOWN_API_CLIENTS = new Set([
  'portainer', 'agent', 'traefik', 'watchtower', 'cadvisor', 'telegraf', 'netdata', 'prometheus', 'promtail',
  'vector', 'fluent-bit', 'filebeat', 'metricbeat', 'dockerd-exporter', 'cri-dockerd', 'kubelet',
  // nginx-proxy/docker-gen, gliderlabs/logspout and registrator, amir20/dozzle, crazy-max/diun (READMEs mount the socket)
  'docker-gen', 'logspout', 'registrator', 'dozzle', 'diun',
]);
export const DOCKER_OWN_PREFIXES = ['containerd-shim', 'docker-credential-', 'com.docker.'];

/** Docker Engine API ports: 2375 (plain), 2376 (TLS), 4243 (legacy plain, e.g. old Ubuntu/boot2docker docs). */
export const API_PORTS = ['2375', '2376', '4243'];
export const PLAIN_API_PORTS = new Set(['2375', '4243']);

/** API request paths (after an optional /v<N>[.<M>] version prefix). */
export const API_PATHS = {
  build: 'build',
  session: 'session',
  imagesCreate: 'images/create',
  imagesLoad: 'images/load',
  commit: 'commit',
  containersCreate: 'containers/create',
} as const;

/** dockerd log phrases the normaliser turns into docker_api_* fields. */
export const DOCKERD_PHRASES = ['calling ', 'form data'];

// ---- paths ------------------------------------------------------------------------------------------

/** World-writable roots on Linux. */
export const POSIX_WRITABLE = ['/tmp', '/var/tmp', '/dev/shm', '/run/shm', '/run/lock', '/var/lock', '/dev/mqueue'];
/** Windows writable folders (lower case, backslashes; matched after normalising / to \ and 8.3 names). */
export const WINDOWS_WRITABLE = [
  { marker: '\\appdata\\local\\temp', shown: '%TEMP%' },
  { marker: '\\local settings\\temp', shown: '%TEMP%' },
  { marker: '\\windows\\temp', shown: '\\Windows\\Temp' },
  { marker: '\\windows\\systemtemp', shown: '\\Windows\\SystemTemp' },
  { marker: '\\users\\public', shown: '\\Users\\Public' },
  { marker: '\\programdata', shown: '\\ProgramData' },
];
/** 8.3 short forms of the folder names above (`APPDAT~1`, `LOCALS~1`, `SYSTEM~1`). */
export const SHORT_NAMES: readonly [RegExp, string][] = [
  [/\\appdat~\d\\/gi, '\\appdata\\'],
  [/\\locals~\d\\/gi, '\\local settings\\'],
  [/\\system~\d(?=\\|$)/gi, '\\systemtemp'],
];
/** Tool-generated temp folders of documented benign builders (not from_temp). */
/** The same for Windows paths (lower case, matched anywhere in the path). */
export const BENIGN_TEMP_WINDOWS = ['\\devcontainercli-', '\\docker-actions-toolkit-'];
export const BENIGN_TEMP = [
  '/tmp/devcontainercli-', // VS Code Dev Containers CLI: container-features/…/Dockerfile.extended
  '/tmp/docker-actions-toolkit-', // docker/actions-toolkit (build-push-action) iidfile/metadata
  '/tmp/buildkit-mount', // BuildKit's own mounts
];

// ---- launchers ----------------------------------------------------------------------------------------

/** Servers and app servers: a build spawned by one is an exploited service. */
// prettier-ignore
export const SERVERS = new Set([
  'nginx', 'httpd', 'apache', 'apache2', 'lighttpd', 'caddy', 'uwsgi', 'gunicorn', 'w3wp', 'catalina', 'tomcat',
  'sqlservr', 'postgres', 'mysqld', 'redis-server', 'php-fpm', 'php-cgi', 'iisexpress', 'weblogic', 'jboss',
  'httpd.worker', 'unicorn', 'puma', 'passenger',
]);
export const SERVER_PREFIXES = ['php-fpm', 'php-cgi', 'tomcat'];
/**
 * Service accounts of web/app servers (Debian www-data, RHEL apache, nginx, SUSE wwwrun, Tomcat, IIS
 * application pools `IIS APPPOOL\<pool>`): a build run under one was launched by the server.
 */
// prettier-ignore
export const WEB_SERVER_ACCOUNTS = new Set([
  'www-data', 'apache', 'nginx', 'httpd', 'wwwrun', 'www', 'lighttpd', 'tomcat', 'tomcat8', 'tomcat9', 'tomcat10',
  // RAW auditd names no user: the statically allocated uids (Debian base-passwd www-data 33, Fedora/RHEL setup
  // uidgid apache 48), as the normaliser writes them
  'uid:33', 'uid:48',
]);
export const WEB_SERVER_ACCOUNT_DOMAINS = ['iis apppool\\'];
/** Substrings of a java/node/python command line that mean an app server. */
// prettier-ignore
export const APP_SERVER_MARKERS = [
  'org.apache.catalina', 'catalina.base', 'weblogic.server', 'jboss.', 'org.eclipse.jetty', 'wildfly', 'websphere',
  'confluence', 'jira', 'spring-boot', 'gunicorn', 'uvicorn', 'flask run', 'manage.py runserver', 'wsgi', 'asgi',
  'puma', 'unicorn', 'rails server', 'server.js', 'pm2', '-jar ', '.war',
];
/** Download / decode / reverse-shell markers in a launcher's command line (lower case). */
export const HOSTILE_MARKERS: readonly [string, string][] = [
  ['/dev/tcp/', 'reverse shell (/dev/tcp)'],
  ['/dev/udp/', 'reverse shell (/dev/udp)'],
  ['pty.spawn', 'reverse shell (pty.spawn)'],
  ['socket.socket', 'reverse shell (python socket)'],
  ['mkfifo', 'reverse shell (mkfifo)'],
  ['0>&1', 'reverse shell (0>&1)'],
  ['net.sockets.tcpclient', 'reverse shell (PowerShell TcpClient)'],
  ['fsockopen(', 'reverse shell (php fsockopen)'],
  ['-rsocket', 'reverse shell (ruby socket)'],
  ['io::socket', 'reverse shell (perl IO::Socket)'],
  ['socket(s,pf_inet', 'reverse shell (perl socket)'],
  ['--sh-exec', 'reverse shell (ncat --sh-exec)'],
  ['/inet/tcp/', 'reverse shell (gawk /inet/tcp)'],
  ['downloadstring(', 'download-and-run (DownloadString)'],
  ['iex(', 'download-and-run (iex)'],
  ['frombase64string', 'decode-and-run (FromBase64String)'],
];
export const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'bitsadmin', 'certutil', 'invoke-webrequest', 'iwr']);
export const DECODERS = new Set(['base64', 'base32', 'xxd', 'openssl']);
/** Interpreter one-liners that decode and run a payload: [decoder call, runner call] both in the text. */
export const DECODE_AND_EXEC: readonly [string, string][] = [
  ['b64decode(', 'exec('],

  ['b64decode(', 'eval('],
  ['base64_decode(', 'eval('],
  ['base64_decode(', 'system('],
  ['decode64(', 'eval('],
];
/** Interpreter one-liners that fetch a payload and run it: [fetch call, runner call] both in the text. */
export const FETCH_AND_EXEC: readonly [string, string][] = [
  ['urlopen(', 'exec('],
  ['requests.get(', 'exec('],
  ['file_get_contents(', 'eval('],
];
/** Interactive / remote-login shells and terminals: an operator typing, not a script. */
// prettier-ignore
export const INTERACTIVE = new Set([
  'sshd', 'login', 'tmux', 'screen', 'gnome-terminal-server', 'konsole', 'xterm', 'explorer', 'windowsterminal',
  'conhost',
]);

/**
 * CI runners and their documented process trees (GitHub Actions Runner.Worker, GitLab runner, Jenkins
 * agent.jar/remoting, Buildkite agent, Azure Pipelines Agent.Worker, TeamCity buildAgent, Drone, CircleCI).
 * Matched on a parent/ancestor basename or as a lower-case substring of its command line.
 */
// prettier-ignore
export const CI_RUNNER_NAMES = new Set([
  'runner.worker', 'runner.listener', 'gitlab-runner', 'gitlab-runner-helper', 'buildkite-agent', 'agent.worker',
  'agent.listener', 'drone-runner-docker', 'drone-runner-exec', 'circleci-agent', 'teamcity-agent', 'jenkins-agent',
  'woodpecker-agent', 'act_runner', 'forgejo-runner',
]);
export const CI_RUNNER_MARKERS = [
  '/actions-runner/',
  '\\actions-runner\\',
  '/home/runner/work/',
  '/home/runner/externals/',
  '\\_work\\_temp\\',
  '/_work/_temp/',
  'runner.worker',
  'gitlab-runner',
  'agent.jar',
  'remoting.jar',
  'slave.jar',
  'hudson.remoting',
  'jenkins.war',
  'agent-bootstrapper', // GoCD
  'atlassian-bamboo-agent', // Bamboo
  'jenkins/workspace',
  '/tmp/jenkins',
  '\\temp\\jenkins', // Jenkins bat steps: %TEMP%\jenkins<N>.bat
  '@tmp/durable-',
  '/home/vsts/work/',
  'buildagent/temp/',
  'buildkite-agent',
  '/buildkite/builds/',
  'agent.worker',
  'jetbrains.buildserver.agent',
  'buildagent/work/',
  '/builds/',
  'circleci-agent',
];
/**
 * Step entrypoints of container-based CI engines that decode their own script variable (Woodpecker
 * `pipeline/backend/docker`, Drone's docker runner, Vela's executor): a CI step, not decode-and-run.
 */
export const CI_ENTRYPOINTS = [
  'echo $ci_script | base64 -d | /bin/sh -e',
  'echo $drone_script | base64 -d | /bin/sh -e',
  'echo $vela_build_script | base64 -d | /bin/sh -e',
];
/** Markers in a build's own command line that only CI tooling writes (docker/actions-toolkit temp files). */
export const CI_SELF_MARKERS = ['/docker-actions-toolkit-', '\\docker-actions-toolkit-'];
/** Working directories of CI jobs (GitHub Actions, Azure Pipelines, GitLab, Jenkins, Buildkite, TeamCity). */
// prettier-ignore
export const CI_WORKSPACES = [
  '/home/runner/work/', '/actions-runner/_work/', '\\actions-runner\\_work\\', '/home/vsts/work/', '/builds/',
  '/jenkins/workspace/', '/var/lib/jenkins/workspace/', '/buildkite/builds/', '/buildagent/work/', 'd:\\a\\',
  '\\gitlab-runner\\builds\\', '\\jenkins\\workspace\\', '\\buildagent\\work\\', '/opt/atlassian/pipelines/agent/build',
  '/home/circleci/project', '/home/travis/build/',
];
/** Build tools and IDEs: a build they start in a project folder is routine. */
// prettier-ignore
export const BUILD_TOOLS = new Set([
  'make', 'gmake', 'npm', 'npx', 'yarn', 'pnpm', 'gradle', 'gradlew', 'mvn', 'mvnw', 'ant', 'bazel', 'just', 'task',
  'earthly', 'tilt', 'skaffold', 'devspace', 'code', 'code-insiders', 'idea', 'idea64', 'goland', 'pycharm',
  'devcontainer', 'cargo', 'go', 'dotnet', 'msbuild', 'terraform', 'packer', 'ansible-playbook',
]);
/** Markers of build tools running under an interpreter (`node …/npm-cli.js`, `node …/devcontainer`). */
// prettier-ignore
export const BUILD_TOOL_MARKERS = [
  'npm-cli.js', '/yarn.js', 'pnpm.cjs', '/bin/npm', '/bin/yarn', 'devcontainer', '.vscode-server', 'gradle', 'maven',
  'vscode', 'tilt', 'skaffold',
];

/** Official images (Docker Hub library): committing a container onto one of these names poisons later pulls. */
// prettier-ignore
export const OFFICIAL_IMAGES = new Set([
  'alpine', 'ubuntu', 'debian', 'centos', 'fedora', 'busybox', 'nginx', 'httpd', 'node', 'python', 'golang',
  'openjdk', 'eclipse-temurin', 'redis', 'postgres', 'mysql', 'mariadb', 'mongo', 'php', 'ruby', 'rust',
  'amazonlinux', 'rockylinux', 'almalinux', 'oraclelinux', 'registry', 'traefik', 'haproxy', 'memcached', 'rabbitmq',
  'elasticsearch', 'jenkins', 'tomcat', 'wordpress', 'docker', 'bash', 'gcc', 'maven', 'gradle',
]);

// ---- compiled lookups -----------------------------------------------------------------------------------

export interface CompiledTool {
  readonly row: ToolRow;
  readonly tool: string;
  readonly globals: OptSpec;
  /** Subcommand paths, longest first. */
  readonly paths: readonly { words: readonly string[]; analyser: Analyser }[];
}

const compiled = new Map<string, CompiledTool>();
for (const row of TOOLS) {
  const globals = optSpec(row.globals ?? '');
  const paths = Object.entries(row.commands)
    .map(([p, analyser]) => ({ words: p === '' ? [] : p.split(' '), analyser }))
    .sort((a, b) => b.words.length - a.words.length);
  for (const n of row.names) compiled.set(n, { row, tool: row.tool ?? n, globals, paths });
}
/** Executable basename → compiled tool row. */
export const TOOL_BY_NAME: ReadonlyMap<string, CompiledTool> = compiled;

/** Names of the generic API clients (HTTP, raw socket): their API use always names a port, socket or path. */
export const CLIENT_NAMES: ReadonlySet<string> = new Set(
  TOOLS.filter((r) =>
    Object.values(r.commands).some((a) => a === 'http' || a === 'pwsh-http' || a === 'raw-socket'),
  ).flatMap((r) => r.names),
);

/** Every executable name of every tool row (for the prefilter). */
export const TOOL_NAMES: readonly string[] = [...compiled.keys(), KANIKO_EXECUTOR];

export function isDockerOwn(exe: string): boolean {
  if (DOCKER_OWN.has(exe)) return true;
  for (const p of DOCKER_OWN_PREFIXES) if (exe.startsWith(p)) return true;
  return false;
}
