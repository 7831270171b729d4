/**
 * Serves the app package once, for a remote splunkd to download during `apps/local` install
 * (`filename=true`, `name=<URL>`: "name is the URL or path to the local .tar, .tgz or .spl file"
 * [TF-APPS: splunk/terraform-provider-splunk docs/resources/apps_local.md]).
 *
 * The URL carries a one-time random token (256 bits); any other path answers 404, a second
 * download answers 410, and the server closes as soon as the first download has been sent or
 * when the caller calls close() (right after the install request returns), whichever is first.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { basename } from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface ServeOptions {
  /** Bind address, e.g. `10.0.0.5:8443`, `[::1]:0` (0: any free port). */
  address: string;
  /** Host name splunkd should use to reach us; default: the bind host (required when binding 0.0.0.0/::). */
  publicHost?: string;
  /** Optional TLS for the download (PEM strings). */
  tls?: { cert: string; key: string };
  /** Close after this long even if nothing was downloaded (ms). */
  maxLifetimeMs?: number;
  log?: (line: string) => void;
}

export interface ServedPackage {
  url: string;
  /** The one-time token inside `url`: a secret, never printed. */
  token: string;
  /** Resolves when the package was fully sent once. */
  downloaded: Promise<void>;
  /** Stops serving (idempotent). */
  close(): Promise<void>;
  /** Number of requests refused (wrong token or repeat). */
  refused(): number;
}

export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) throw new Error(`--serve-address: expected HOST:PORT or [IPv6]:PORT, got "${text}"`);
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--serve-address: bad port ${m[2]}`);
  return { host: m[1], port };
}

export async function servePackageOnce(file: string, o: ServeOptions): Promise<ServedPackage> {
  const { host, port } = parseHostPort(o.address);
  const wildcard = host === '0.0.0.0' || host === '::';
  if (wildcard && !o.publicHost)
    throw new Error(
      '--serve-address binds all interfaces: also give --serve-public-host (the name splunkd uses to reach this machine)',
    );
  const size = statSync(file).size;
  const token = randomBytes(32).toString('base64url');
  const fileName = basename(file);
  let used = false;
  let refused = 0;
  let resolveDownloaded!: () => void;
  const downloaded = new Promise<void>((r) => (resolveDownloaded = r));

  const app = express();
  app.disable('x-powered-by');
  app.get('/:token/:file', (req, res) => {
    const given = Buffer.from(String(req.params.token));
    const want = Buffer.from(token);
    const ok = given.length === want.length && timingSafeEqual(given, want) && req.params.file === fileName;
    if (!ok) {
      refused++;
      res.status(404).end();
      return;
    }
    if (used) {
      refused++;
      res.status(410).end();
      return;
    }
    used = true;
    res
      .status(200)
      .set({ 'Content-Type': 'application/gzip', 'Content-Length': String(size), 'Cache-Control': 'no-store' });
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    res.on('finish', () => {
      o.log?.('package downloaded by splunkd; no longer serving');
      resolveDownloaded();
      void close();
    });
    stream.pipe(res);
  });
  app.use((_req, res) => {
    refused++;
    res.status(404).end();
  });

  const server: http.Server = o.tls
    ? https.createServer({ cert: o.tls.cert, key: o.tls.key }, app)
    : http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const urlHost = o.publicHost ?? host;
  const hostPart = urlHost.includes(':') ? `[${urlHost}]` : urlHost;
  const url = `${o.tls ? 'https' : 'http'}://${hostPart}:${actual}/${token}/${encodeURIComponent(fileName)}`;

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    if (!closing) {
      closing = new Promise<void>((resolve) => {
        clearTimeout(timer);
        server.close(() => resolve());
        // Let an in-flight download finish its bytes; drop idle keep-alive sockets now.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
    }
    return closing;
  }
  const timer = setTimeout(() => {
    o.log?.('package server lifetime elapsed; closing');
    void close();
  }, o.maxLifetimeMs ?? 600_000);
  timer.unref();

  return { url, token, downloaded, close, refused: () => refused };
}

/** The URL with its token hidden, for logs. */
export function redactServeUrl(url: string): string {
  return url.replace(/(\/\/[^/]+\/)[^/]+\//, '$1<one-time-token>/');
}
