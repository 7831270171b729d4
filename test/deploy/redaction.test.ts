/**
 * deploy/verify never print a secret or a server's echo of one: env-var values given where a name
 * belongs, credentials in --url, a password/token/session key reflected in splunkd error bodies,
 * the Authorization header, and the one-time package URL's token. Each test checks stdout+stderr.
 */
import { runDeploy } from '../../src/deploy/deploy';
import { REDACTED, Redactor } from '../../src/deploy/redact';
import { runVerify } from '../../src/deploy/verify';
import { AUTH, PASSWORD, TOKEN, recordingIo, useHarness } from './harness';

jest.setTimeout(30000);

const h = useHarness();
const SESSION_KEY = 'fake-session-key-0123456789'; // what the fake splunkd hands out on login

function printed(t: { stdout: () => string; stderr: () => string }): string {
  return t.stdout() + t.stderr();
}

describe('values given where a variable name belongs', () => {
  test.each([
    ['--password-env', 'hunter2 with spaces!', ['--user', 'admin']],
    ['--token-env', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl', []],
    ['--password-env', 'p@ss=word', ['--user', 'admin']],
  ])('%s %s: "looks like a value, not a variable name", value not echoed', async (opt, value, extra) => {
    const s = await h.fake();
    const t = recordingIo({});
    expect(await runVerify(['--url', s.url, ...extra, opt, value, ...h.pin()], t)).toBe(2);
    expect(t.stderr()).toContain(`${opt}: looks like a value, not a variable name`);
    expect(printed(t)).not.toContain(value);
    expect(s.requests.some((r) => r.credential)).toBe(false);
  });

  test('a lower-case name that is not set is not echoed (it may be a pasted password)', async () => {
    const s = await h.fake();
    const t = recordingIo({});
    expect(await runVerify(['--url', s.url, '--user', 'admin', '--password-env', 'hunter2', ...h.pin()], t)).toBe(2);
    expect(t.stderr()).toMatch(/the environment variable \(from --password-env\) is not set or empty/);
    expect(printed(t)).not.toContain('hunter2');
  });

  test('a stray positional word (a secret typed in the wrong place) is not echoed', async () => {
    const t = recordingIo();
    expect(await runVerify(['--url', 'https://127.0.0.1:1', '--user', 'admin', 'Tr0ub4dor&3'], t)).toBe(2);
    expect(t.stderr()).toMatch(/unexpected argument at position 5 \(value not shown\)/);
    expect(printed(t)).not.toContain('Tr0ub4dor');
  });
});

describe('--url with credentials', () => {
  test.each([
    ['unparseable', 'https://admin:S3cret-in-url@[::1:8089'],
    ['parseable', 'https://admin:S3cret-in-url@127.0.0.1:8089'],
    ['not https', 'http://admin:S3cret-in-url@127.0.0.1:8089'],
  ])('%s: usage error without the value', async (_kind, url) => {
    for (const run of [runVerify, runDeploy]) {
      const t = recordingIo();
      expect(await run(['--url', url, ...AUTH, '--insecure'], t)).toBe(2);
      expect(t.stderr()).toMatch(/--url/);
      expect(printed(t)).not.toContain('S3cret-in-url');
    }
  });
});

describe("a server's echo of a secret", () => {
  test('login failure reflecting the password (plain and form-encoded) prints neither', async () => {
    const wrong = 'wrong pass & "quoted"';
    const s = await h.fake({
      loginErrorEcho: (b) => ` for password=${b.password} (form: ${new URLSearchParams({ p: b.password }).toString()})`,
    });
    const t = recordingIo({ T1612_PW: wrong });
    expect(await runVerify(['--url', s.url, ...AUTH, ...h.pin()], t)).toBe(1);
    expect(t.stderr()).toMatch(/HTTP 401 — WARN: Login failed for password=<redacted>/);
    for (const v of [wrong, encodeURIComponent(wrong), new URLSearchParams({ p: wrong }).toString().slice(2)])
      expect(printed(t)).not.toContain(v);
  });

  test('install error reflecting the Authorization header (session key) and the one-time URL', async () => {
    const s = await h.fake({
      installMode: 'fail',
      installErrorEcho: (_b, authorization) => ` (request had Authorization: ${authorization})`,
    });
    const t = recordingIo();
    const code = await runDeploy(
      ['--url', s.url, ...AUTH, ...h.pin(), '--package', h.pkg(), '--serve-address', '127.0.0.1:0', '--app-only'],
      t,
    );
    expect(code).toBe(1);
    expect(s.downloads).toHaveLength(1);
    const token = s.downloads[0].url.split('/')[3];
    expect(token).toHaveLength(43);
    expect(t.stderr()).toMatch(/install failed: HTTP 400 — ERROR: Error during app install/);
    expect(t.stderr()).toContain(REDACTED);
    for (const secret of [token, SESSION_KEY, PASSWORD]) expect(printed(t)).not.toContain(secret);
  });

  test('install error reflecting a Bearer token', async () => {
    const s = await h.fake({
      installMode: 'fail',
      installErrorEcho: (_b, authorization) => `; headers: {"Authorization": "${authorization}"}`,
    });
    const t = recordingIo();
    const code = await runDeploy(['--url', s.url, '--token-env', 'T1612_TOKEN', ...h.pin(), '--package', h.pkg()], t);
    expect(code).toBe(1);
    expect(printed(t)).not.toContain(TOKEN);
    expect(t.stderr()).toMatch(/Authorization": "<redacted>/);
  });
});

describe('Redactor', () => {
  const r = new Redactor();
  r.add('pa ss"word');
  test.each([
    ['a registered secret', 'got pa ss"word back', `got ${REDACTED} back`],
    ['its JSON-escaped form', '{"p":"pa ss\\"word"}', `{"p":"${REDACTED}"}`],
    ['its form-encoded form', 'p=pa+ss%22word&x=1', `p=${REDACTED}&x=1`],
    ['an Authorization header', 'Authorization: Splunk abc', `Authorization: ${REDACTED}`],
    ['a Bearer token in prose', 'sent Bearer eyJ0eXAiOiJKV1Qi.x.y today', `sent Bearer ${REDACTED} today`],
    ['a Splunk session key', 'key Splunk 8c2f1e0a9b7d6c5e4f3a', `key Splunk ${REDACTED}`],
    ['a sessionKey pair', '{"sessionKey":"abc123"}', `{"sessionKey":"${REDACTED}"}`],
    ['userinfo in a URL', 'see https://bob:pw@h:8089/x', `see https://${REDACTED}@h:8089/x`],
  ])('%s', (_name, input, want) => {
    expect(r.redact(input)).toBe(want);
  });

  test('ordinary text is left alone', () => {
    const text =
      'splunkd 9.2.1 (Splunk Enterprise); token not logged; serving at http://10.0.0.5:8088/<one-time-token>/a.tgz';
    expect(r.redact(text)).toBe(text);
  });

  test('long hostile inputs are processed (linear patterns, no backtracking blow-up)', () => {
    for (const unit of ['a', 'authorization:', 'password=', 'Bearer ', 'http://', 'x://a']) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      expect(r.redact(text).length).toBeGreaterThan(0);
    }
  });
});
