/**
 * splunk-sdk 2.0.2, loaded safely.
 *
 * - No `.env`: the package's index.js runs `require("dotenv").config()` on import
 *   (node_modules/splunk-sdk/index.js). We never load index.js: we require the library modules
 *   it re-exports (`lib/service`, `lib/http`, `lib/log`) directly. None of them requires dotenv
 *   (checked: `grep -n "require(" lib/*.js`). test/deploy checks a `.env` in the cwd is not read.
 * - Verified TLS: the SDK's `NodeHttp` hard-codes `rejectUnauthorized: false`
 *   (node_modules/splunk-sdk/lib/platform/node/node_http.js). `Service` accepts any `Http` instance as its first
 *   argument (lib/context.js `init(http, params)`), so we pass `VerifiedHttp`: a subclass of the
 *   SDK's own `Http` base class implementing `makeRequest` with node:https and `VerifiedAgent`.
 *   The SDK still builds every request (paths, namespaces, query, form bodies, auth header,
 *   autologin, cookies) and parses every response; only the socket is ours.
 * - Redirects are not followed (NodeHttp follows all of them, credentials included).
 */
import https from 'node:https';
import type {
  SdkEntity,
  SdkHttp,
  SdkHttpClass,
  SdkLogModule,
  SdkRequestMessage,
  SdkResponse,
  SdkService,
  SdkServiceModule,
} from './sdk-shapes';
import { UsageError } from './args';
import { capServerText } from './redact';
import { TlsPolicy, VerifiedAgent } from './tls';

export type { SdkEntity, SdkResponse, SdkService } from './sdk-shapes';

interface SdkModules {
  Service: SdkServiceModule;
  Http: SdkHttpClass;
}

let modules: SdkModules | undefined;

/** Requires the SDK's library modules (never its index.js, which loads .env). */
export function loadSdk(): SdkModules {
  if (!modules) {
    // The SDK ships no type declarations: sdk-shapes.ts declares what we use, asserted here once.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const Service = require('splunk-sdk/lib/service') as SdkServiceModule;
    const Http = require('splunk-sdk/lib/http') as SdkHttpClass;
    const { Logger } = require('splunk-sdk/lib/log') as SdkLogModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
    // The SDK prints splunkd `messages` through console; we report them ourselves.
    Logger.setLevel('NONE');
    modules = { Service, Http };
  }
  return modules;
}

/**
 * A rejection carrying the SDK's unified response fields (`status`, `data`, …): the SDK and
 * describeSdkError read those properties, and an Error keeps a stack.
 */
export class SdkResponseError extends Error implements SdkResponse {
  readonly response: SdkResponse['response'];
  status: number;
  readonly data: unknown;
  readonly error: unknown;
  constructor(message: string, r: SdkResponse) {
    super(message);
    this.name = 'SdkResponseError';
    this.response = r.response;
    this.status = r.status;
    this.data = r.data;
    this.error = r.error;
  }
}

export interface HttpOptions {
  policy: TlsPolicy;
  /** Per-request timeout in ms (0: none). */
  timeoutMs: number;
}

const USER_AGENT = 't1612-deploy (splunk-sdk-javascript/2.0.2 verified-tls)';

function performRequest(
  agent: https.Agent,
  url: string,
  message: SdkRequestMessage,
  timeoutMs: number,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== 'https:') {
      reject(new Error(`refusing non-https URL ${u.protocol}//${u.host}`));
      return;
    }
    const body = message.body ?? '';
    const headers: Record<string, string | number> = { ...(message.headers ?? {}) };
    headers['Content-Length'] = Buffer.byteLength(body, 'utf8');
    headers['User-Agent'] = USER_AGENT;
    // The SDK's Http.request always form-encodes `post`, but only Http.post() sets the type
    // (Jobs.oneshotSearch goes through Context.request without it): say what the body is.
    if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const req = https.request(
      {
        protocol: 'https:',
        hostname: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port || 443,
        path: u.pathname + u.search,
        method: message.method,
        headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    const limit = timeoutMs || 0;
    if (limit > 0) req.setTimeout(limit, () => req.destroy(new Error(`request timed out after ${limit} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Creates an SDK `Http` whose transport verifies TLS per `options.policy`. */
export function createVerifiedHttp(options: HttpOptions): SdkHttp {
  const { Http } = loadSdk();
  const agent = new VerifiedAgent(options.policy, options.timeoutMs || 15000);
  const VerifiedHttp = Http.extend({
    makeRequest(url, message) {
      return performRequest(agent, url, message, message.timeout || options.timeoutMs).then(
        (r) => {
          const built = this._buildResponse(null, { headers: r.headers, statusCode: r.status }, r.body);
          if (r.status >= 300 && r.status < 400) {
            // Not followed on purpose; surface as an error response.
            const why = new Error(`HTTP ${r.status} redirect not followed`);
            throw new SdkResponseError(why.message, { ...built, status: r.status, error: why });
          }
          return built;
        },
        (err: Error) => {
          throw new SdkResponseError(err.message, this._buildResponse(err, { headers: {}, statusCode: 600 }, ''));
        },
      );
    },
    parseJson(json) {
      return JSON.parse(json) as unknown;
    },
  });
  return new VerifiedHttp();
}

export interface Credentials {
  kind: 'token' | 'password';
  username?: string;
  secret: string;
}

export interface SplunkdTarget {
  scheme: 'https';
  host: string;
  port: number;
}

export function parseSplunkdUrl(text: string): SplunkdTarget {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    // Not echoed: an unparseable URL may still carry user:password@.
    throw new UsageError(
      '--url: not a URL (expected https://HOST:8089; the value is not shown, it may hold credentials)',
    );
  }
  if (u.username || u.password) throw new UsageError('--url must not contain credentials (the value is not shown)');
  if (u.protocol !== 'https:') throw new UsageError('--url must be https:// (splunkd management port, usually 8089)');
  if (u.pathname !== '/' && u.pathname !== '')
    throw new UsageError('--url must not have a path (e.g. https://splunk.example.com:8089)');
  return { scheme: 'https', host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 8089 };
}

/** A logged-in `splunkjs.Service` (login + server/info done). */
export async function connectService(target: SplunkdTarget, creds: Credentials, http: SdkHttp): Promise<SdkService> {
  const { Service } = loadSdk();
  const params: Record<string, unknown> = { scheme: 'https', host: target.host, port: target.port };
  if (creds.kind === 'token') {
    // Splunk authentication tokens are sent as `Authorization: Bearer <token>` (docs/deploy.md, Security model).
    params.sessionKey = creds.secret;
    params.authorization = 'Bearer';
    params.autologin = false;
  } else {
    params.username = creds.username;
    params.password = creds.secret;
  }
  const svc = new Service(http, params);
  if (creds.kind === 'token') await svc.getInfo();
  else await svc.login(); // POST /services/auth/login, then GET /services/server/info
  return svc;
}

export function newSavedSearch(svc: SdkService, name: string, app: string): SdkEntity {
  const { Service } = loadSdk();
  return new Service.SavedSearch(svc, name, { owner: 'nobody', app, sharing: 'app' });
}

export function newApplication(svc: SdkService, name: string): SdkEntity {
  const { Service } = loadSdk();
  return new Service.Application(svc, name);
}

/** Text of an SDK rejection: HTTP status and splunkd `messages`, never request data. */
export function describeSdkError(e: unknown): string {
  if (Array.isArray(e)) return describeSdkError(e[0]); // Entity.update rejects with [err, entity]
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'status' in e) {
    const r = e as SdkResponse;
    const msgs = splunkMessages(r.data);
    if (r.status === 600 || r.status === 0) {
      return `connection failed: ${r.error instanceof Error ? r.error.message : 'no response'}`;
    }
    const text = msgs.length
      ? msgs.map((m) => `${m.type}: ${m.text}`).join('; ')
      : typeof r.data === 'string'
        ? r.data.slice(0, 200)
        : '';
    return capServerText(`HTTP ${r.status}${text ? ` — ${text}` : ''}`);
  }
  if (e instanceof Error) return e.message;
  return 'unexpected error';
}

export function sdkStatus(e: unknown): number | undefined {
  if (Array.isArray(e)) return sdkStatus(e[0]);
  if (e && typeof e === 'object' && 'status' in e) return (e as SdkResponse).status;
  return undefined;
}

export function splunkMessages(data: unknown): { type: string; text: string }[] {
  if (!data || typeof data !== 'object') return [];
  const m = (data as { messages?: unknown }).messages;
  if (!Array.isArray(m)) return [];
  return m
    .filter((x): x is { type: unknown; text: unknown } => !!x && typeof x === 'object' && 'text' in x)
    .map((x) => ({ type: scalarText(x.type), text: capServerText(scalarText(x.text)) }));
}

/** A JSON scalar as text; objects and arrays (never expected here) become ''. */
export function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
