/**
 * `t1612 deploy` / `t1612 verify` against a fake splunkd over real HTTPS on 127.0.0.1.
 * Certificates are made in the test with openssl; every server is closed after each test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { runDeploy } from '../../src/deploy/deploy';
import { runVerify } from '../../src/deploy/verify';
import { SAVED_SEARCHES } from '../../src/deploy/constants';
import { EntryFeed, MessagesBody, fixtureJson, fixtureXml } from './fixtures';
import { AUTH, PASSWORD, recordingIo, useHarness } from './harness';

jest.setTimeout(30000);

const h = useHarness();
const fake = h.fake;
const io = recordingIo;
const auth = AUTH;
const pin = h.pin;

function httpGetStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

describe('TLS verification happens before any credential is sent', () => {
  test('default trust store refuses a self-signed splunkd; nothing reaches it', async () => {
    const s = await fake();
    const t = io();
    const code = await runVerify(['--url', s.url, ...auth], t);
    expect(code).toBe(1);
    expect(t.stderr()).toMatch(/refusing 127\.0\.0\.1:\d+: server certificate not trusted/);
    expect(t.stderr()).toContain(h.good().fingerprint); // tells the admin what was presented
    expect(s.requests).toHaveLength(0);
  });

  test('--ca-file with another CA refuses; no HTTP request, no credential', async () => {
    const s = await fake();
    const t = io();
    expect(await runDeploy(['--url', s.url, ...auth, '--ca-file', h.other().certFile, '--package', h.pkg()], t)).toBe(
      1,
    );
    expect(s.requests).toHaveLength(0);
    expect(s.requests.some((r) => r.credential)).toBe(false);
    expect(t.stderr() + t.stdout()).not.toContain(PASSWORD);
  });

  test('--fingerprint of another certificate refuses; no HTTP request', async () => {
    const s = await fake();
    const t = io();
    expect(
      await runVerify(['--url', s.url, '--token-env', 'T1612_TOKEN', '--fingerprint', h.other().fingerprint], t),
    ).toBe(1);
    expect(t.stderr()).toMatch(/does not match the pinned --fingerprint/);
    expect(s.requests).toHaveLength(0);
  });

  test('--ca-file with the right CA is accepted', async () => {
    const s = await fake({ appInstalled: true });
    const t = io();
    await runVerify(['--url', s.url, ...auth, '--ca-file', h.good().certFile, '--allow-disabled'], t);
    expect(t.stderr()).toMatch(/TLS ok/);
    expect(s.requests[0].path).toBe('/services/auth/login');
  });

  test('--insecure works but warns loudly on stderr', async () => {
    const s = await fake({ appInstalled: true });
    const t = io();
    await runVerify(['--url', s.url, ...auth, '--insecure', '--allow-disabled'], t);
    expect(t.stderr()).toMatch(/WARNING: --insecure: the splunkd TLS certificate is NOT verified/);
    expect(s.requests.length).toBeGreaterThan(0);
  });
});

describe('secrets', () => {
  test('a password on argv is refused and not echoed', async () => {
    const s = await fake();
    const t = io();
    expect(await runVerify(['--url', s.url, '--user', 'admin', '--password', 'hunter2-argv'], t)).toBe(2);
    expect(t.stderr()).not.toContain('hunter2-argv');
    expect(s.requests).toHaveLength(0);
  });

  test('a .env in the working directory is not read', async () => {
    const s = await fake();
    const cwd = process.cwd();
    const envDir = join(h.dir(), 'with-dotenv');
    mkdirSync(envDir, { recursive: true });
    writeFileSync(join(envDir, '.env'), `T1612_DOTENV_CANARY=loaded\nT1612_PW_FROM_DOTENV=${PASSWORD}\n`);
    const t = io({ ...process.env });
    try {
      process.chdir(envDir);
      const code = await runVerify(
        ['--url', s.url, '--user', 'admin', '--password-env', 'T1612_PW_FROM_DOTENV', ...pin()],
        t,
      );
      expect(code).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    expect(t.stderr()).toMatch(/T1612_PW_FROM_DOTENV \(from --password-env\) is not set/);
    expect(process.env.T1612_DOTENV_CANARY).toBeUndefined();
    expect(s.requests.some((r) => r.credential)).toBe(false);
  });

  test('bad password: 401 Login failed, exit 1, password never printed', async () => {
    const s = await fake();
    const t = io({ T1612_PW: 'wrong password' });
    expect(await runVerify(['--url', s.url, ...auth, ...pin()], t)).toBe(1);
    expect(t.stderr()).toMatch(/login to .* failed: HTTP 401 — WARN: Login failed/);
    expect(t.stderr() + t.stdout()).not.toContain('wrong password');
  });

  test('bad token: 401 call not properly authenticated, exit 1', async () => {
    const s = await fake();
    const t = io({ T1612_TOKEN: 'not-the-token' });
    expect(await runDeploy(['--url', s.url, '--token-env', 'T1612_TOKEN', ...pin(), '--package', h.pkg()], t)).toBe(1);
    expect(t.stderr()).toMatch(/HTTP 401 — WARN: call not properly authenticated/);
    expect(t.stderr()).not.toContain('not-the-token');
    expect(s.state.appVersion).toBeUndefined();
  });
});

describe('deploy', () => {
  test('installs from the local path (splunkd on this host), --enable schedules the alerts, verify then passes', async () => {
    const s = await fake();
    const t = io();
    const code = await runDeploy(['--url', s.url, ...auth, ...pin(), '--package', h.pkg(), '--enable'], t);
    expect(t.stderr()).not.toContain(PASSWORD);
    expect(code).toBe(0);
    const install = s.requests.find((r) => r.method === 'POST' && r.path.startsWith('/services/apps/local'))!;
    expect(install.body).toMatchObject({
      name: h.pkg(),
      filename: 'true',
      update: 'true',
      explicit_appname: 't1612_build_image_on_host',
    });
    for (const n of SAVED_SEARCHES) expect(s.state.saved[n]).toMatchObject({ scheduled: true, disabled: false });
    expect(t.stdout()).toMatch(/app version\s+PASS/);
    // Every request asked for JSON (the SDK adds output_mode), so no Atom XML reached the tool.
    expect(
      s.requests.every((r) => typeof r.query.output_mode === 'string' && r.query.output_mode.startsWith('json')),
    ).toBe(true);

    const v = io();
    expect(await runVerify(['--url', s.url, '--token-env', 'T1612_TOKEN', ...pin()], v)).toBe(0);
    expect(v.stdout()).toMatch(/all \d+ checks passed/);
  });

  test('without --enable the alerts are reported and left alone', async () => {
    const s = await fake();
    const t = io();
    expect(await runDeploy(['--url', s.url, ...auth, ...pin(), '--package', h.pkg()], t)).toBe(0);
    for (const n of SAVED_SEARCHES) expect(s.state.saved[n]).toMatchObject({ scheduled: false, disabled: true });
    expect(t.stdout()).toMatch(/not active; use --enable/);
    expect(s.requests.some((r) => r.method === 'POST' && r.path.includes('/saved/searches'))).toBe(false);
  });

  test("a failed install exits 1 with splunkd's message", async () => {
    const s = await fake({ installMode: 'fail' });
    const t = io();
    expect(await runDeploy(['--url', s.url, ...auth, ...pin(), '--package', h.pkg(), '--enable'], t)).toBe(1);
    expect(t.stderr()).toMatch(/install failed: HTTP 400 — ERROR: Error during app install/);
    expect(s.requests.some((r) => r.path.includes('/saved/searches'))).toBe(false);
  });

  test('a version mismatch after install fails', async () => {
    const s = await fake({ installVersion: '0.9.0' });
    const t = io();
    expect(await runDeploy(['--url', s.url, ...auth, ...pin(), '--package', h.pkg(), '--app-only'], t)).toBe(1);
    expect(t.stdout()).toMatch(/app version\s+FAIL\s+splunkd reports 0\.9\.0, expected/);
  });

  test('remote splunkd: the package is served once behind a token, then the server stops', async () => {
    const s = await fake();
    const t = io();
    const code = await runDeploy(
      ['--url', s.url, ...auth, ...pin(), '--package', h.pkg(), '--serve-address', '127.0.0.1:0', '--app-only'],
      t,
    );
    expect(code).toBe(0);
    expect(s.downloads).toHaveLength(1);
    const url = s.downloads[0].url;
    expect(s.downloads[0].status).toBe(200);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/t1612_build_image_on_host-.*\.tgz$/);
    expect(t.stderr()).not.toContain(url.split('/')[3]); // token not logged
    expect(await httpGetStatus(url)).not.toBe(200); // stopped: connection refused
    const wrongToken = url.replace(/\/[A-Za-z0-9_-]{43}\//, '/AAAA/');
    expect(await httpGetStatus(wrongToken)).not.toBe(200);
  });

  test('a remote splunkd without --serve-address is a usage error, before any credential', async () => {
    const t = io();
    const code = await runDeploy(['--url', 'https://splunk.invalid:8089', ...auth, ...pin(), '--package', h.pkg()], t);
    expect(code).toBe(2);
    expect(t.stderr()).toMatch(/not on this host.*--serve-address/);
  });
});

describe('verify', () => {
  const enabled = Object.fromEntries(
    SAVED_SEARCHES.map((n) => [n, { cron: '*/15 * * * *', scheduled: true, disabled: false }]),
  );

  test('passes when the command returns the seed values', async () => {
    const s = await fake({ appInstalled: true, savedSearches: enabled });
    const t = io();
    expect(await runVerify(['--url', s.url, ...auth, ...pin()], t)).toBe(0);
    expect(t.stdout()).toMatch(/case 1\s+PASS/);
    const search = s.requests.find((r) => r.path.endsWith('/search/v2/jobs'))!;
    expect(search.body.exec_mode).toBe('oneshot');
    expect(search.body.search).toMatch(/^\| makeresults count=5 .*\| t1612score mode=seed/);
  });

  test('fails when the search returns wrong values', async () => {
    const s = await fake({ appInstalled: true, savedSearches: enabled, searchMode: 'wrong' });
    const t = io();
    expect(await runVerify(['--url', s.url, ...auth, ...pin()], t)).toBe(1);
    expect(t.stdout()).toMatch(/case 1\s+FAIL\s+.*risk_score="7" want "6"/);
  });

  test('fails when splunkd does not know the command', async () => {
    const s = await fake({ appInstalled: true, savedSearches: enabled, searchMode: 'unknown-command' });
    const t = io();
    expect(await runVerify(['--url', s.url, ...auth, ...pin()], t)).toBe(1);
    expect(t.stdout()).toMatch(/t1612score oneshot\s+FAIL\s+HTTP 400 — FATAL: Unknown search command 't1612score'/);
  });

  test('fails when the app is missing or the alerts are not scheduled', async () => {
    const s = await fake({ appInstalled: false });
    const t = io();
    expect(await runVerify(['--url', s.url, ...auth, ...pin()], t)).toBe(1);
    expect(t.stdout()).toMatch(/app installed\s+FAIL/);

    const s2 = await fake({ appInstalled: true });
    const t2 = io();
    expect(await runVerify(['--url', s2.url, ...auth, ...pin()], t2)).toBe(1);
    expect(t2.stdout()).toMatch(
      /alert "T1612 - Build Image on Host"\s+FAIL\s+cron_schedule="\*\/15 \* \* \* \*" is_scheduled=0 disabled=1/,
    );
  });
});

describe('fixtures', () => {
  // The shapes these fixtures have (fast-xml-parser returns untyped trees).
  interface AtomInfo {
    feed: { generator: { '@version': string } };
  }
  interface AtomEntry {
    feed: { entry: { content: { 's:dict': { 's:key': { '@name': string; '#text'?: string | number }[] } } } };
  }
  interface XmlMessages {
    response: { messages: { msg: { '#text': string } } };
  }
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
  const parseXml = <T>(xml: string): T => parser.parse(xml) as T;

  test('Atom XML and JSON fixtures say the same thing', () => {
    const infoX = parseXml<AtomInfo>(fixtureXml('server-info.xml'));
    const infoJ = fixtureJson<{ generator: { version: string } }>('server-info.json');
    expect(infoX.feed.generator['@version']).toBe(infoJ.generator.version);
    const appX = parseXml<AtomEntry>(fixtureXml('app-entry.xml', { name: 'x', version: '1.2.3' }));
    const versionKey = appX.feed.entry.content['s:dict']['s:key'].find((k) => k['@name'] === 'version');
    expect(String(versionKey?.['#text'])).toBe(
      fixtureJson<EntryFeed>('app-entry.json', { name: 'x', version: '1.2.3' }).entry[0].content.version,
    );
    const unauthX = parseXml<XmlMessages>(fixtureXml('unauthorized.xml'));
    expect(unauthX.response.messages.msg['#text']).toBe(
      fixtureJson<MessagesBody>('unauthorized.json').messages[0].text,
    );
  });
});
