/**
 * `t1612_incident`: one key per build (or escape-ready run) that every row of it shares — the `bash -c`/`su -c`
 * wrapper, sudo's exec, USER_CMD record and auth.log line, the docker CLI exec, dockerd's `POST /build` line —
 * so an alert can group by host + incident. Pure: the same inputs give the same key on every indexer.
 */

/** Width of the time bucket: the rows of one build fall in one bucket unless it straddles a boundary. */
export const INCIDENT_BUCKET_SECONDS = 600;
/** Attacker-written text (a tag, a path) is cut to this many characters in the key. */
const IDENTITY_MAX = 200;

export interface IncidentInput {
  host: string | undefined;
  /** `build` (CLI or API builds) or `run` (escape-ready container runs). */
  kind: 'build' | 'run';
  /** Image tag built or run (t1612_image). */
  image?: string;
  /** Resolved build context or Dockerfile, when no tag is known. */
  context?: string;
  /** API request target (e.g. `/v1.41/build`), when neither is known (the stream does not pass it for builds). */
  apiTarget?: string;
  /** Event time, epoch seconds. */
  time: number | undefined;
}

function clean(s: string): string {
  const t = s.trim().toLowerCase();
  return t.length > IDENTITY_MAX ? t.slice(0, IDENTITY_MAX) : t;
}

/** The builder identity: the tag without a `:latest` suffix, else the context, else the API target. */
export function builderIdentity(i: Pick<IncidentInput, 'image' | 'context' | 'apiTarget'>): string {
  if (i.image) {
    const img = clean(i.image).replace(/:latest$/, '');
    return img.startsWith('docker.io/library/') ? img.slice(18) : img;
  }
  if (i.context) return 'ctx:' + clean(i.context).replace(/\/+$/, '');
  if (i.apiTarget) return 'api:' + clean(i.apiTarget.replace(/^\/v[0-9.]+\//, '/'));
  return 'untagged';
}

/** `<host>|<kind>|<identity>|<bucket start, epoch seconds>`. */
export function incidentKey(i: IncidentInput): string {
  const host = (i.host ?? 'unknown').toLowerCase();
  const t = i.time !== undefined && Number.isFinite(i.time) ? i.time : 0;
  const bucket = Math.floor(t / INCIDENT_BUCKET_SECONDS) * INCIDENT_BUCKET_SECONDS;
  return `${host}|${i.kind}|${builderIdentity(i)}|${bucket}`;
}
