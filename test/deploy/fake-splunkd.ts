/**
 * A fake splunkd for the deploy/verify tests: real HTTPS (express) on 127.0.0.1 with a throwaway
 * certificate, answering the REST endpoints the tool uses with the response shapes in
 * test/fixtures/splunkd (see PROVENANCE.md there): JSON with output_mode=json, Atom XML without it.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { defaultT1612Options } from '../../src/command/options';
import { scoreChunk } from '../../src/command/score-chunk';
import { serializeTable } from '../../src/scp/csv';
import { APP_ID, APP_VERSION, SAVED_SEARCHES } from '../../src/deploy/constants';
import { FakePeer, peersSearchBody } from './fake-peers';
import { EntryFeed, MessagesBody, OneshotBody, fixtureJson, fixtureXml, parseRows } from './fixtures';

export type { FakePeer } from './fake-peers';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, string>;
  authorization?: string;
  /** True when the request carried a password, session key or token. */
  credential: boolean;
}

export interface FakeOptions {
  cert: string;
  key: string;
  user?: string;
  password?: string;
  token?: string;
  /** Version splunkd reports for the app after install. */
  installVersion?: string;
  installMode?: 'ok' | 'fail';
  searchMode?: 'ok' | 'wrong' | 'unknown-command';
  appInstalled?: boolean;
  /** Saved searches present (by stanza name) and their initial state. */
  savedSearches?: Record<string, { cron: string; scheduled: boolean; disabled: boolean }>;
  /** Search peers (GET search/distributed/peers) and how each answers the `verify --peers` search. */
  peers?: FakePeer[];
  /** Extra body text the install error echoes (a server reflecting request data). */
  installErrorEcho?: (body: Record<string, string>, authorization: string) => string;
  /** Extra text the login failure echoes. */
  loginErrorEcho?: (body: Record<string, string>) => string;
}

export interface FakeSplunkd {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Bodies downloaded from install URLs (serve path): status per attempt. */
  downloads: { url: string; status: number; bytes: number }[];
  state: { appVersion?: string; saved: Record<string, { cron: string; scheduled: boolean; disabled: boolean }> };
  close(): Promise<void>;
}

function fetchUrl(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(url, { rejectUnauthorized: false, timeout: 5000 } as https.RequestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', () => resolve({ status: 0, body: Buffer.alloc(0) }));
  });
}

/** Events from the tool's `| makeresults … | eval f=case(t1612_case=N, "v", …)` search. */
export function eventsFromSearch(search: string): Record<string, string>[] {
  const count = Number(/makeresults count=(\d+)/.exec(search)?.[1] ?? 1);
  const events: Record<string, string>[] = Array.from({ length: count }, (_, i) => ({ t1612_case: String(i + 1) }));
  const evalPart = /\| eval (.*?) \| t1612score/.exec(search)?.[1] ?? '';
  for (const m of evalPart.matchAll(/(\w+)=case\(((?:[^()"]|"[^"]*")*)\)/g)) {
    for (const arm of m[2].matchAll(/t1612_case=(\d+), "([^"]*)"/g)) {
      const ev = events[Number(arm[1]) - 1];
      if (ev) ev[m[1]] = arm[2]!;
    }
  }
  return events;
}

/** Runs the real chunk scorer of `| t1612score` over the events, as splunkd would run the command. */
function runT1612score(events: Record<string, string>[]): Record<string, string>[] {
  const fields = [...new Set(events.flatMap((e) => Object.keys(e)))];
  const body = serializeTable({ fields, rows: events.map((e) => fields.map((f) => e[f] ?? '')) });
  return parseRows(scoreChunk(body, defaultT1612Options('seed')));
}

export async function startFakeSplunkd(o: FakeOptions): Promise<FakeSplunkd> {
  const user = o.user ?? 'admin';
  const password = o.password ?? 'correct horse battery staple';
  const sessionKey = 'fake-session-key-0123456789';
  const requests: RecordedRequest[] = [];
  const downloads: FakeSplunkd['downloads'] = [];
  const defaultSaved = Object.fromEntries(
    SAVED_SEARCHES.map((n) => [n, { cron: '*/15 * * * *', scheduled: false, disabled: true }]),
  );
  const state: FakeSplunkd['state'] = {
    appVersion: o.appInstalled ? (o.installVersion ?? APP_VERSION) : undefined,
    saved: structuredClone(o.savedSearches ?? defaultSaved),
  };

  const app = express();
  app.use(express.urlencoded({ extended: false, type: () => true }));
  // Record everything; the SDK requests some entity paths with a trailing slash: trim it.
  app.use((req, _res, next) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const auth = req.headers.authorization;
    requests.push({
      method: req.method,
      path: req.path,
      query: req.query as Record<string, string>,
      body,
      authorization: auth,
      credential: !!auth || 'password' in body || 'username' in body,
    });
    if (req.path.length > 1 && req.path.endsWith('/')) req.url = req.url.replace(/\/(\?|$)/, '$1');
    next();
  });
  const json = (res: express.Response, status: number, body: unknown) =>
    res.status(status).type('application/json; charset=UTF-8').send(JSON.stringify(body));
  const xml = (res: express.Response, status: number, body: string) =>
    res.status(status).type('text/xml; charset=UTF-8').send(body);
  const wantsJson = (req: express.Request) =>
    typeof req.query.output_mode === 'string' && req.query.output_mode.startsWith('json');

  app.post('/services/auth/login', (req, res) => {
    const b = req.body as Record<string, string>;
    if (b.username === user && b.password === password) {
      if (wantsJson(req)) json(res, 200, fixtureJson('login.json', { sessionKey }));
      else xml(res, 200, fixtureXml('login.xml', { sessionKey }));
    } else {
      const body = fixtureJson<MessagesBody>('login-failed.json');
      if (o.loginErrorEcho) body.messages[0].text += o.loginErrorEcho(b);
      json(res, 401, body);
    }
  });
  app.use((req, res, next) => {
    const a = req.headers.authorization ?? '';
    if (a === `Splunk ${sessionKey}` || (o.token && a === `Bearer ${o.token}`)) return next();
    if (wantsJson(req)) json(res, 401, fixtureJson('unauthorized.json'));
    else xml(res, 401, fixtureXml('unauthorized.xml'));
  });
  app.get('/services/server/info', (req, res) => {
    if (wantsJson(req)) json(res, 200, fixtureJson('server-info.json'));
    else xml(res, 200, fixtureXml('server-info.xml'));
  });

  const appEntry = (req: express.Request, res: express.Response, status: number) => {
    const vars = { name: APP_ID, version: state.appVersion ?? '' };
    if (wantsJson(req)) json(res, status, fixtureJson('app-entry.json', vars));
    else xml(res, status, fixtureXml('app-entry.xml', vars));
  };
  app.post('/services/apps/local', async (req, res) => {
    const b = req.body as Record<string, string>;
    const isGzip = (buf: Buffer) => buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b;
    let ok = false;
    if (b.filename === 'true' || b.filename === '1') {
      if (/^https?:\/\//.test(b.name ?? '')) {
        const r = await fetchUrl(b.name);
        downloads.push({ url: b.name, status: r.status, bytes: r.body.length });
        ok = r.status === 200 && isGzip(r.body);
      } else {
        try {
          ok = isGzip(readFileSync(b.name ?? ''));
        } catch {
          ok = false;
        }
      }
    }
    if (!ok || o.installMode === 'fail') {
      const echo = o.installErrorEcho?.(b, req.headers.authorization ?? '') ?? '';
      json(
        res,
        400,
        fixtureJson('install-error.json', {
          text: `Error during app install: failed to extract app from ${b.name} to ${APP_ID}${echo}`,
        }),
      );
      return;
    }
    state.appVersion = o.installVersion ?? APP_VERSION;
    appEntry(req, res, 201);
  });
  app.get('/services/apps/local/:name', (req, res) => {
    if (req.params.name !== APP_ID || !state.appVersion) {
      json(res, 404, fixtureJson('not-found.json', { text: `Could not find object id=${req.params.name}` }));
      return;
    }
    appEntry(req, res, 200);
  });

  app.get('/services/search/distributed/peers', (_req, res) => {
    const body = fixtureJson<EntryFeed>('distributed-peers.json');
    const listed = (o.peers ?? []).filter((p) => p.listed !== false);
    body.entry = listed.map((p, i) => {
      const vars = { uri: `${p.name}:8089`, peerName: p.name, status: p.status ?? 'Up', guid: `guid-${i}` };
      return fixtureJson<EntryFeed>('distributed-peers.json', vars).entry[0];
    });
    json(res, 200, body);
  });

  const ssEntry = (req: express.Request, res: express.Response, name: string) => {
    const s = state.saved[name];
    const vars = {
      app: APP_ID,
      name,
      nameEnc: encodeURIComponent(name),
      cron: s.cron,
      search: '| tstats count from datamodel=Endpoint.Processes | t1612score',
    };
    if (wantsJson(req)) {
      const body = fixtureJson<EntryFeed>('savedsearch-entry.json', vars);
      body.entry[0].content.is_scheduled = s.scheduled;
      body.entry[0].content.disabled = s.disabled;
      json(res, 200, body);
    } else {
      xml(
        res,
        200,
        fixtureXml('savedsearch-entry.xml', vars)
          .replace('<s:key name="disabled">0', `<s:key name="disabled">${s.disabled ? 1 : 0}`)
          .replace('<s:key name="is_scheduled">1', `<s:key name="is_scheduled">${s.scheduled ? 1 : 0}`),
      );
    }
  };
  const ssPath = `/servicesNS/nobody/${APP_ID}/saved/searches/:name`;
  const findSs = (req: express.Request, res: express.Response): string | undefined => {
    const name = String(req.params.name);
    if (!state.appVersion || !state.saved[name]) {
      json(res, 404, fixtureJson('not-found.json', { text: `Could not find object id=${name}` }));
      return undefined;
    }
    return name;
  };
  app.get(ssPath, (req, res) => {
    const n = findSs(req, res);
    if (n) ssEntry(req, res, n);
  });
  app.post(`${ssPath}/enable`, (req, res) => {
    const n = findSs(req, res);
    if (!n) return;
    state.saved[n].disabled = false;
    ssEntry(req, res, n);
  });
  app.post(ssPath, (req, res) => {
    const n = findSs(req, res);
    if (!n) return;
    const b = req.body as Record<string, string>;
    if (b.is_scheduled !== undefined) state.saved[n].scheduled = b.is_scheduled === '1' || b.is_scheduled === 'true';
    if (b.cron_schedule !== undefined) state.saved[n].cron = b.cron_schedule;
    ssEntry(req, res, n);
  });

  const jobs = (req: express.Request, res: express.Response) => {
    const b = req.body as Record<string, string>;
    if (b.exec_mode !== 'oneshot') {
      json(res, 201, fixtureJson('job-create.json', { sid: '1732700000.42' }));
      return;
    }
    if (
      o.searchMode !== 'unknown-command' &&
      /\| t1612score report_runtime=true .*by splunk_server$/.test(b.search ?? '')
    ) {
      json(res, 200, peersSearchBody(b.search ?? '', o.peers ?? []));
      return;
    }
    if (o.searchMode === 'unknown-command' || !/\| t1612score mode=seed/.test(b.search ?? '')) {
      json(res, 400, fixtureJson('search-fatal.json'));
      return;
    }
    const rows = runT1612score(eventsFromSearch(b.search ?? ''));
    if (o.searchMode === 'wrong' && rows[0]) rows[0].risk_score = String(Number(rows[0].risk_score) + 1);
    const body = fixtureJson<OneshotBody>('oneshot-results.json');
    body.fields = [...new Set(rows.flatMap((r) => Object.keys(r)))].map((name) => ({ name }));
    body.results = rows;
    json(res, 200, body);
  };
  app.post('/services/search/v2/jobs', jobs);
  app.post('/servicesNS/:owner/:app/search/v2/jobs', jobs);
  app.post('/services/search/jobs', jobs);
  app.post('/servicesNS/:owner/:app/search/jobs', jobs);
  app.use((req, res) =>
    json(res, 404, fixtureJson('not-found.json', { text: `Not Found: ${req.method} ${req.path}` })),
  );

  const server = https.createServer({ cert: o.cert, key: o.key }, app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    downloads,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
