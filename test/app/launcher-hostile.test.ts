/**
 * The launcher under hostile or broken hosts: every probe is bounded, anything that does not print a plain
 * Node version is not a Node, and the search gets exactly one ERROR reply whatever PATH and $SPLUNK_HOME
 * hold. The fake nodes are sh scripts in a temp dir; the bound is the jest timeout, not a timed assertion.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { driveExchange, Exchange, requestFrames } from './exchange';
import { ROOT, tmpDir } from './helpers';

jest.setTimeout(60_000);

const frames = requestFrames(
  gunzipSync(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'scpv2', 'multibyte_input.gz'))),
);
const work = tmpDir('t1612-hostile-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** An app folder with the launcher and a stand-in bundle (no runtime), and an empty $SPLUNK_HOME. */
function setup(name: string): { launcher: string; home: string; fake: string } {
  const base = path.join(work, name);
  const bin = path.join(base, 'home', 'etc', 'apps', 'app', 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'bin', 't1612score'), path.join(bin, 't1612score'));
  fs.chmodSync(path.join(bin, 't1612score'), 0o755);
  fs.writeFileSync(path.join(bin, 't1612score.js'), 'process.exit(7);\n');
  fs.mkdirSync(path.join(base, 'home', 'bin'));
  fs.mkdirSync(path.join(base, 'fake'));
  return { launcher: path.join(bin, 't1612score'), home: path.join(base, 'home'), fake: path.join(base, 'fake') };
}

function script(file: string, body: string): string {
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

function expectOneError(r: Exchange): string {
  expect(r.status).toBe(1);
  expect(r.requestsSent).toBe(1);
  expect(r.replies).toHaveLength(1);
  expect(r.replies[0].metadata.finished).toBe(true);
  const messages = (r.replies[0].metadata.inspector as { messages: [string, string][] }).messages;
  expect(messages).toHaveLength(1);
  expect(messages[0][0]).toBe('ERROR');
  return messages[0][1];
}

const FAST = { T1612_PROBE_TIMEOUT: '2' };

test('node-hangs-on-e: a node that never answers is given up after the probe timeout', async () => {
  const s = setup('hang');
  script(path.join(s.fake, 'node'), 'exec /bin/sleep 30');
  const text = expectOneError(await driveExchange(s.launcher, { PATH: s.fake, SPLUNK_HOME: s.home, ...FAST }, frames));
  expect(text).toContain(`node on PATH (${s.fake}/node): no answer within 2s`);
});

test('node-leaves-child-holding-stdout: a grandchild keeping the output open does not stall the launcher', async () => {
  const s = setup('child');
  script(path.join(s.fake, 'node'), '/bin/sleep 30 &\n/bin/sleep 30');
  const text = expectOneError(await driveExchange(s.launcher, { PATH: s.fake, SPLUNK_HOME: s.home, ...FAST }, frames));
  expect(text).toContain('no answer within 2s');
});

test.each([
  ['non-numeric', 'printf "v1abc.2\\n"'],
  ['digits-only-no-dot', 'printf "22\\n"'],
  ['huge-major', 'printf "99999999999999999999.1.0\\n"'],
  ['garbage-flood', 'while :; do echo garbage; done'],
  ['empty', 'exit 0'],
])('fake-node-%s: not a Node, one ERROR reply', async (name, body) => {
  const s = setup(`fake-${name}`);
  script(path.join(s.fake, 'node'), body);
  const text = expectOneError(await driveExchange(s.launcher, { PATH: s.fake, SPLUNK_HOME: s.home, ...FAST }, frames));
  expect(text).toMatch(
    new RegExp(`node on PATH \\(${s.fake}/node\\): (not runnable \\(no Node version\\)|no answer within 2s)`),
  );
});

test('splunk-cmd-hangs: a hanging $SPLUNK_HOME/bin/splunk is given up too', async () => {
  const s = setup('splunk');
  script(path.join(s.home, 'bin', 'splunk'), 'exec /bin/sleep 30');
  const text = expectOneError(await driveExchange(s.launcher, { PATH: s.fake, SPLUNK_HOME: s.home, ...FAST }, frames));
  expect(text).toContain(`$SPLUNK_HOME/bin/splunk cmd node (${s.home}): no answer within 2s`);
});

test('t1612-node-hangs: a hanging T1612_NODE is named, then the search still gets its reply', async () => {
  const s = setup('t1612node');
  const hang = script(path.join(s.fake, 'hang'), 'exec /bin/sleep 30');
  const text = expectOneError(
    await driveExchange(s.launcher, { PATH: s.fake, SPLUNK_HOME: s.home, T1612_NODE: hang, ...FAST }, frames),
  );
  expect(text).toContain(`T1612_NODE=${hang}: no answer within 2s`);
});

test('path-6000-entries: a huge PATH, a fake node at its end, every hang at once: one capped ERROR reply', async () => {
  const s = setup('bigpath');
  script(path.join(s.fake, 'node'), 'exec /bin/sleep 30');
  script(path.join(s.home, 'bin', 'splunk'), 'exec /bin/sleep 30');
  script(path.join(s.home, 'bin', 'node'), 'printf "not a version\\n"');
  const dirs = Array.from({ length: 6000 }, (_, i) => `/nonexistent/d${i}`);
  const PATH = [...dirs, s.fake].join(':');
  const r = await driveExchange(s.launcher, { PATH, SPLUNK_HOME: s.home }, frames); // default probe timeout
  const text = expectOneError(r);
  expect(text).toContain('no answer within 5s');
  expect(text).not.toContain('/nonexistent/d5999'); // PATH is not echoed into the message
  expect(text.length).toBeLessThan(2100);
});

test('splunk-10.2-has-no-node: Splunk 10.2 and later are not asked for a Node they no longer ship', async () => {
  const s = setup('splunk102');
  fs.mkdirSync(path.join(s.home, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(s.home, 'etc', 'splunk.version'), 'VERSION=10.2.0\nBUILD=abc\nPRODUCT=splunk\n');
  const marker = path.join(work, 'splunk102-ran');
  script(path.join(s.home, 'bin', 'splunk'), `echo ran > "${marker}"\nexit 1`);
  const text = expectOneError(await driveExchange(s.launcher, { PATH: s.fake, SPLUNK_HOME: s.home }, frames));
  expect(text).toContain("Splunk's node: Splunk 10.2.0 ships none (removed in 10.2)");
  expect(fs.existsSync(marker)).toBe(false);
});

test("splunk-9-still-tried: before 10.2 Splunk's own Node is the last resort", async () => {
  const s = setup('splunk94');
  fs.mkdirSync(path.join(s.home, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(s.home, 'etc', 'splunk.version'), 'VERSION=9.4.1\n');
  fs.symlinkSync(process.execPath, path.join(s.home, 'bin', 'node'));
  const r = await driveExchange(s.launcher, { PATH: s.fake, SPLUNK_HOME: s.home }, frames);
  // The stand-in bundle exits 7 without a reply: what matters is that the launcher chose Splunk's node.
  expect(r.stderr).toContain('using $SPLUNK_HOME/bin/node');
  expect(r.status).toBe(7);
});

test('no-probe-file-left-behind: the launcher removes its probe file', async () => {
  const s = setup('tmp');
  const tmp = path.join(work, 'tmpdir');
  fs.mkdirSync(tmp);
  script(path.join(s.fake, 'node'), 'printf "16.0.0\\n"');
  const text = expectOneError(
    await driveExchange(s.launcher, { PATH: s.fake, SPLUNK_HOME: s.home, TMPDIR: tmp }, frames),
  );
  expect(text).toContain('Node v16.0.0 is older than v18');
  expect(fs.readdirSync(tmp)).toEqual([]);
});

test('huge-t1612-node-value: the ERROR text is capped, the reply still comes', async () => {
  const s = setup('huge');
  const text = expectOneError(
    await driveExchange(
      s.launcher,
      { PATH: s.fake, SPLUNK_HOME: s.home, T1612_NODE: `/x${'y'.repeat(20_000)}` },
      frames,
    ),
  );
  expect(text.endsWith(' [...]')).toBe(true);
  expect(text.length).toBe(2000 + ' [...]'.length);
});
