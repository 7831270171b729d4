/**
 * TLS policy for every connection to splunkd. splunk-sdk 2.0.2's own NodeHttp hard-codes
 * `rejectUnauthorized: false` (lib/platform/node/node_http.js), so the SDK is given our own Http
 * implementation (sdk.ts) whose sockets come from `VerifiedAgent` below.
 *
 * The agent verifies the peer inside `createConnection` and only then hands the socket to the
 * HTTP client (Node's documented asynchronous `agent.createConnection(options, callback)` form), so
 * not one byte of HTTP, let alone a credential, is written to a socket that failed verification.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

export type TlsPolicy =
  | { kind: 'system' }
  | { kind: 'ca-file'; file: string; ca: string }
  | { kind: 'fingerprint'; sha256: Buffer }
  | { kind: 'insecure' };

export class TlsRefused extends Error {
  constructor(
    message: string,
    readonly presentedFingerprint?: string,
  ) {
    super(message);
    this.name = 'TlsRefused';
  }
}

/** `sha256:AB:CD:…`, `AB:CD:…` or plain hex (64 digits) → 32 bytes. */
export function parseFingerprint(text: string): Buffer {
  const hex = text.replace(/^sha256[:=]/i, '').replace(/[:\s]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex))
    throw new Error(`--fingerprint: expected sha256:<64 hex digits, colons optional>, got "${text}"`);
  return Buffer.from(hex, 'hex');
}

export function formatFingerprint(der: Buffer): string {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return `sha256:${hex.match(/../g)!.join(':')}`;
}

export function policyFromOptions(o: { caFile?: string; fingerprint?: string; insecure?: boolean }): TlsPolicy {
  const chosen = [o.caFile !== undefined, o.fingerprint !== undefined, o.insecure === true].filter(Boolean).length;
  if (chosen > 1) throw new Error('choose at most one of --ca-file, --fingerprint, --insecure');
  if (o.caFile !== undefined) return { kind: 'ca-file', file: o.caFile, ca: readFileSync(o.caFile, 'utf8') };
  if (o.fingerprint !== undefined) return { kind: 'fingerprint', sha256: parseFingerprint(o.fingerprint) };
  if (o.insecure) return { kind: 'insecure' };
  return { kind: 'system' };
}

export function describePolicy(p: TlsPolicy): string {
  switch (p.kind) {
    case 'system':
      return 'system trust store (Node default CAs, NODE_EXTRA_CA_CERTS)';
    case 'ca-file':
      return `CA file ${p.file}`;
    case 'fingerprint':
      return `pinned certificate sha256:${p.sha256.toString('hex').toUpperCase().match(/../g)!.join(':')}`;
    case 'insecure':
      return 'NONE (--insecure)';
  }
}

/** Trust anchors for the `system` policy: Node's default store, plus the OS store where Node exposes it (>= 22.15). */
function systemCas(): string[] | undefined {
  const get = (tls as unknown as { getCACertificates?: (t: string) => string[] }).getCACertificates;
  if (typeof get !== 'function') return undefined; // Node 20: the default (bundled + NODE_EXTRA_CA_CERTS) applies.
  try {
    return [...new Set([...get('default'), ...get('system')])];
  } catch {
    return undefined;
  }
}

export interface ConnectTarget {
  host: string;
  port: number;
}

/**
 * Opens a TLS connection and resolves only once the peer passed `policy`.
 * Nothing is written on the socket by this function.
 */
export function connectVerified(target: ConnectTarget, policy: TlsPolicy, timeoutMs = 15000): Promise<tls.TLSSocket> {
  const servername = isIP(target.host) ? undefined : target.host;
  const options: tls.ConnectionOptions = {
    host: target.host,
    port: target.port,
    servername,
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['http/1.1'],
  };
  if (policy.kind === 'system') {
    options.rejectUnauthorized = true;
    const cas = systemCas();
    if (cas) options.ca = cas;
  } else if (policy.kind === 'ca-file') {
    options.rejectUnauthorized = true;
    options.ca = policy.ca;
  } else {
    // fingerprint: the pin is checked below, on secureConnect, before the socket is released.
    // insecure: nothing is checked (the caller has warned on stderr).
    options.rejectUnauthorized = false;
  }
  return new Promise((resolve, reject) => {
    const socket = tls.connect(options);
    let done = false;
    const fail = (e: Error) => {
      if (done) return;
      done = true;
      socket.destroy();
      reject(e);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`TLS connection to ${target.host}:${target.port} timed out`)));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      // Node destroys the socket itself when chain or host name verification fails.
      if (e.code && /CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME|ALTNAME|DEPTH_ZERO|ISSUER/i.test(e.code)) {
        fail(new TlsRefused(`server certificate not trusted (${e.code}: ${e.message})`));
      } else fail(e);
    });
    socket.once('secureConnect', () => {
      if (done) return;
      const cert = socket.getPeerCertificate(false);
      const presented = cert && cert.raw ? formatFingerprint(cert.raw) : undefined;
      if (policy.kind === 'fingerprint') {
        const got = cert && cert.raw ? createHash('sha256').update(cert.raw).digest() : Buffer.alloc(32);
        if (!timingSafeEqual(got, policy.sha256)) {
          fail(
            new TlsRefused(
              `server certificate ${presented ?? '(none)'} does not match the pinned --fingerprint`,
              presented,
            ),
          );
          return;
        }
      } else if (policy.kind !== 'insecure' && !socket.authorized) {
        fail(new TlsRefused(`server certificate not trusted (${String(socket.authorizationError)})`, presented));
        return;
      }
      done = true;
      socket.setTimeout(0);
      resolve(socket);
    });
  });
}

/**
 * Connects without verification only to learn which certificate the server presents, for the
 * refusal message. Never sends anything; only used after a verified connection was refused.
 */
export function peekFingerprint(target: ConnectTarget, timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = tls.connect({
      host: target.host,
      port: target.port,
      rejectUnauthorized: false,
      servername: isIP(target.host) ? undefined : target.host,
    });
    const t = setTimeout(() => finish(undefined), timeoutMs);
    function finish(v: string | undefined) {
      clearTimeout(t);
      s.destroy();
      resolve(v);
    }
    s.once('secureConnect', () => {
      const c = s.getPeerCertificate(false);
      finish(c && c.raw ? formatFingerprint(c.raw) : undefined);
    });
    s.once('error', () => finish(undefined));
  });
}

/** An https.Agent whose sockets are verified by `connectVerified` before any request is written. */
export class VerifiedAgent extends https.Agent {
  constructor(
    private readonly policy: TlsPolicy,
    private readonly timeoutMs = 15000,
  ) {
    super({ keepAlive: false });
  }

  override createConnection(
    options: unknown,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const o = options as { host?: string; hostname?: string; port?: number | string };
    const host = (o.hostname ?? o.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(o.port ?? 443);
    connectVerified({ host, port }, this.policy, this.timeoutMs).then(
      (socket) => callback?.(null, socket),
      (err: Error) => callback?.(err, undefined as unknown as Socket),
    );
    return undefined;
  }
}
