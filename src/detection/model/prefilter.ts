/**
 * Which raw events can possibly matter to the model: a cheap test on the whole event text, run
 * before any parsing so that the ~99% of events with no container tooling cost next to nothing.
 * It must accept every event that detect() could score — test/detection/prefilter.test.ts checks
 * that on all sample telemetry; add a token here whenever recognition learns a new name.
 */

/** Names recognition looks for in a command line (detect.ts builds its own prefilter from them), any case. */
export const WORDS = ['docker', 'podman', 'buildah', 'nerdctl', 'buildctl', 'kaniko', 'executor', 'finch'];
/** Docker API TCP ports (network events, `curl http://h:2375/build`, `nc h 2375`). */
export const PORTS = ['2375', '2376'];
/** dockerd debug lines the normaliser turns into docker_api_* fields. */
export const DOCKERD = ['calling ', 'form data'];

const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex').toUpperCase();

/**
 * Plain tokens, plus their hex forms: auditd writes EXECVE arguments, PROCTITLE, USER_CMD `cmd=`
 * and SOCKADDR `saddr=` (…/docker.sock) as upper-case hex.
 */
export const EVIDENCE_PREFILTER = new RegExp(
  [...WORDS, ...PORTS, ...DOCKERD, ...[...WORDS, ...PORTS].map(hex)].join('|'),
  'i',
);

/**
 * The seed's SPL needs "docker" (any case in its Sysmon branch, lower case elsewhere) in some field
 * for is_docker_build to be 1, so events without it are 0 whatever their sourcetype.
 */
export const SEED_PREFILTER = /docker/i;
