/**
 * splunk-sdk 2.0.2, loaded safely.
 *
 * - No `.env`: the package's index.js runs `require("dotenv").config()` on import
 *   (packaging.md §5, [SDK-JS] index.js). We never load index.js: we require the library modules
 *   it re-exports (`lib/service`, `lib/http`, `lib/log`) directly. None of them requires dotenv
 *   (checked: `grep -n "require(" lib/*.js`). test/deploy checks a `.env` in the cwd is not read.
 * - Verified TLS: the SDK's `NodeHttp` hard-codes `rejectUnauthorized: false`
 *   ([SDK-JS] lib/platform/node/node_http.js). `Service` accepts any `Http` instance as its first
 *   argument (lib/context.js `init(http, params)`), so we pass `VerifiedHttp`: a subclass of the
 *   SDK's own `Http` base class implementing `makeRequest` with node:https and `VerifiedAgent`.
 *   The SDK still builds every request (paths, namespaces, query, form bodies, auth header,
 *   autologin, cookies) and parses every response; only the socket is ours.
 * - Redirects are not followed (NodeHttp follows all of them, credentials included).
 */
import https from 'node:https';
import { TlsPolicy, VerifiedAgent } from './tls';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The unified response object the SDK builds (lib/http.js `_buildResponse`) and throws on status >= 400. */
export interface SdkResponse {
  response: { headers: Record<string, unknown>; statusCode: number };
  status: number;
  data: any;
  error: unknown;
}

export interface SdkEntity {
  name: string;
  properties(): Record<string, any>;
  acl(): Record<string, any>;
  fetch(options?: Record<string, unknown>): Promise<SdkEntity>;
  update(props: Record<string, unknown>): Promise<SdkEntity>;
  enable(): Promise<SdkEntity>;
}

export interface SdkService {
  version: string;
  instanceType: string;
  login(): Promise<unknown>;
  getInfo(): Promise<unknown>;
  apps(): { create(params: Record<string, unknown>): Promise<SdkEntity> };
  oneshotSearch(query: string, params: Record<string, unknown>, namespace?: Record<string, string>): Promise<any>;
}

interface SdkModules {
  Service: any;
  Http: any;
  Logger: { setLevel(level: string): void };
}

let modules: SdkModules | undefined;

/** Requires the SDK's library modules (never its index.js, which loads .env). */
export function loadSdk(): SdkModules {
  if (!modules) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Service = require('splunk-sdk/lib/service');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Http = require('splunk-sdk/lib/http');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Logger } = require('splunk-sdk/lib/log');
    // The SDK prints splunkd `messages` through console; we report them ourselves.
    Logger.setLevel('NONE');
    modules = { Service, Http, Logger };
  }
  return modules;
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
  message: any,
  timeoutMs: number,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== 'https:') {
      reject(new Error(`refusing non-https URL ${u.protocol}//${u.host}`));
      return;
    }
    const body: string = message.body ?? '';
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
export function createVerifiedHttp(options: HttpOptions): any {
  const { Http } = loadSdk();
  const agent = new VerifiedAgent(options.policy, options.timeoutMs || 15000);
  const VerifiedHttp = Http.extend({
    init: function (this: any) {
      this._super();
    },
    makeRequest: function (this: any, url: string, message: any) {
      return performRequest(agent, url, message, message.timeout || options.timeoutMs).then(
        (r) => {
          const built: SdkResponse = this._buildResponse(null, { headers: r.headers, statusCode: r.status }, r.body);
          if (r.status >= 300 && r.status < 400) {
            // Not followed on purpose; surface as an error response.
            built.status = r.status;
            built.error = new Error(`HTTP ${r.status} redirect not followed`);
            throw built;
          }
          return built;
        },
        (err: Error) => {
          throw this._buildResponse(err, { headers: {}, statusCode: 600 }, '');
        },
      );
    },
    parseJson: function (json: string) {
      return JSON.parse(json);
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
    throw new Error(`--url: not a URL: ${text}`);
  }
  if (u.protocol !== 'https:') throw new Error('--url must be https:// (splunkd management port, usually 8089)');
  if (u.username || u.password) throw new Error('--url must not contain credentials');
  if (u.pathname !== '/' && u.pathname !== '')
    throw new Error('--url must not have a path (e.g. https://splunk.example.com:8089)');
  return { scheme: 'https', host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 8089 };
}

/** A logged-in `splunkjs.Service` (login + server/info done). */
export async function connectService(target: SplunkdTarget, creds: Credentials, http: any): Promise<SdkService> {
  const { Service } = loadSdk();
  const params: Record<string, unknown> = { scheme: 'https', host: target.host, port: target.port };
  if (creds.kind === 'token') {
    // Splunk authentication tokens are sent as `Authorization: Bearer <token>` (packaging.md §5).
    params.sessionKey = creds.secret;
    params.authorization = 'Bearer';
    params.autologin = false;
  } else {
    params.username = creds.username;
    params.password = creds.secret;
  }
  const svc: SdkService = new Service(http, params);
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
      const err = r.error as Error | undefined;
      return `connection failed: ${err?.message ?? String(r.error)}`;
    }
    const text = msgs.length
      ? msgs.map((m) => `${m.type}: ${m.text}`).join('; ')
      : typeof r.data === 'string'
        ? r.data.slice(0, 200)
        : '';
    return `HTTP ${r.status}${text ? ` — ${text}` : ''}`;
  }
  if (e instanceof Error) return e.message;
  return String(e);
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
    .filter((x): x is { type: string; text: string } => !!x && typeof x === 'object' && 'text' in x)
    .map((x) => ({ type: String(x.type), text: String(x.text) }));
}
