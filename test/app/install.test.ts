/**
 * Installs the built package the way splunkd would and runs | t1612score through a recorded splunkd
 * exchange (Splunk 8.0.3 capture, test/fixtures/scpv2/multibyte_input.gz) under three Node situations:
 * (a) Splunk's own node (a `splunk cmd node` / `bin/node` shim), (b) node only on PATH, (c) no node at all.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { confValue, parseConf } from '../../src/packaging/conf';
import { readTgz } from '../../src/packaging/tar';
import { driveExchange, Exchange, parseReplies, requestFrames, TIMEOUT_MS } from './exchange';
import { buildPackage, BUNDLE, requireBundle, ROOT, tmpDir } from './helpers';

const RECORDING = path.join(ROOT, 'test', 'fixtures', 'scpv2', 'multibyte_input.gz');
jest.setTimeout(120_000);

let work: string;
let appDir: string;
let exe: string;
let input: Buffer;
let sessionKey: string;

beforeAll(() => {
  requireBundle();
  work = tmpDir('t1612-install-');
  // The launcher cases use the package without a runtime (the runtime packages: runtime.test.ts).
  const tgz = buildPackage(work);
  // $SPLUNK_HOME/etc/apps/<id>: extract with the system tar, as an admin (or splunkd) would.
  const splunkHome = path.join(work, 'splunk');
  const apps = path.join(splunkHome, 'etc', 'apps');
  fs.mkdirSync(apps, { recursive: true });
  const tar = spawnSync('tar', ['-xzf', tgz, '-C', apps], { timeout: TIMEOUT_MS });
  if (tar.status !== 0) throw new Error(`tar failed: ${String(tar.stderr)}`);
  const top = readTgz(fs.readFileSync(tgz))[0].path.split('/')[0];
  appDir = path.join(apps, top);
  // Locate the executable as splunkd does for chunked = true: <app>/linux_x86_64/bin/<filename>, then <app>/bin/<filename>.
  const commands = parseConf(fs.readFileSync(path.join(appDir, 'default', 'commands.conf'), 'utf8'));
  expect(confValue(commands, 't1612score', 'chunked')).toBe('true');
  const filename = confValue(commands, 't1612score', 'filename')!;
  const candidates = [path.join(appDir, 'linux_x86_64', 'bin', filename), path.join(appDir, 'bin', filename)];
  exe = candidates.find((c) => fs.existsSync(c))!;
  expect(exe).toBeDefined();
  input = gunzipSync(fs.readFileSync(RECORDING));
  const firstLf = input.indexOf(0x0a);
  const getinfoLen = Number(/chunked 1\.0,(\d+),/.exec(input.toString('latin1', 0, firstLf))![1]);
  sessionKey = (
    JSON.parse(input.toString('utf8', firstLf + 1, firstLf + 1 + getinfoLen)) as { searchinfo: { session_key: string } }
  ).searchinfo.session_key;
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** A fresh $SPLUNK_HOME whose bin/ is set up by `prepare`. */
function splunkHome(name: string, prepare?: (bin: string) => void): string {
  const home = path.join(work, `home-${name}`);
  fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
  prepare?.(path.join(home, 'bin'));
  return home;
}

function runDirect(env: Record<string, string>): Promise<Exchange> {
  // The file is executed directly (its #! line and exec bit matter), like splunkd does.
  return driveExchange(exe, env, requestFrames(input));
}

let reference: Buffer;
function referenceOutput(): Buffer {
  if (!reference) {
    const r = spawnSync(process.execPath, [BUNDLE], { input, timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    expect(r.status).toBe(0);
    reference = r.stdout;
    // The recording is 1 getinfo + 9 execute requests: one reply each.
    const replies = parseReplies(reference);
    expect(replies).toHaveLength(10);
    expect(replies[9].metadata.finished).toBe(true);
  }
  return reference;
}

function expectSameAsBundle(r: Exchange): void {
  expect(r.status).toBe(0);
  expect(r.requestsSent).toBe(10);
  expect(r.stdout.length).toBe(referenceOutput().length);
  expect(r.stdout.equals(referenceOutput())).toBe(true);
  expect(r.stderr).not.toContain(sessionKey);
}

test('the package installs with an executable launcher where splunkd looks for it', () => {
  expect(exe).toBe(path.join(appDir, 'bin', 't1612score'));
  expect(fs.statSync(exe).mode & 0o777).toBe(0o755);
  expect(fs.readFileSync(exe, 'latin1').startsWith('#!/bin/sh\n')).toBe(true);
  expect(fs.statSync(path.join(appDir, 'bin', 't1612score.js')).mode & 0o777).toBe(0o644);
});

test('(a) Splunk ships node: the launcher uses "$SPLUNK_HOME/bin/splunk cmd node"', async () => {
  const home = splunkHome('a', (bin) => {
    fs.writeFileSync(
      path.join(bin, 'splunk'),
      `#!/bin/sh\n# test shim of "splunk cmd node"\nif [ "$1" = cmd ] && [ "$2" = node ]; then shift 2; exec "${process.execPath}" "$@"; fi\necho "splunk shim: unsupported $*" >&2\nexit 2\n`,
      { mode: 0o755 },
    );
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  });
  const r = await runDirect({ SPLUNK_HOME: home, PATH: '/nonexistent' });
  expectSameAsBundle(r);
  expect(r.stderr).toMatch(/using \$SPLUNK_HOME\/bin\/splunk cmd node/);
});

test('(a2) only $SPLUNK_HOME/bin/node exists: the launcher uses it', async () => {
  const home = splunkHome('a2', (bin) => fs.symlinkSync(process.execPath, path.join(bin, 'node')));
  const r = await runDirect({ SPLUNK_HOME: home, PATH: '/nonexistent' });
  expectSameAsBundle(r);
  expect(r.stderr).toMatch(/using \$SPLUNK_HOME\/bin\/node/);
});

test('(b) nothing in $SPLUNK_HOME/bin, node on PATH: the launcher uses the PATH node', async () => {
  const home = splunkHome('b');
  const pathDir = path.join(work, 'path-b');
  fs.mkdirSync(pathDir, { recursive: true });
  fs.symlinkSync(process.execPath, path.join(pathDir, 'node'));
  const r = await runDirect({ SPLUNK_HOME: home, PATH: pathDir, LD_LIBRARY_PATH: '/opt/splunk/lib' });
  expectSameAsBundle(r);
  expect(r.stderr).toMatch(/using node on PATH/);
});

function expectErrorReply(r: Exchange): string {
  expect(r.status).not.toBe(0);
  expect(r.requestsSent).toBe(1);
  const replies = r.replies;
  expect(replies).toHaveLength(1); // exactly one reply to the one request it read (getinfo)
  expect(replies[0].body.length).toBe(0);
  expect(replies[0].metadata.finished).toBe(true);
  const messages = (replies[0].metadata.inspector as { messages: [string, string][] }).messages;
  expect(messages).toHaveLength(1);
  expect(messages[0][0]).toBe('ERROR');
  expect(r.stderr).not.toContain(sessionKey);
  return messages[0][1];
}

test('(c) no node anywhere: one clear SCP v2 ERROR reply, non-zero exit', async () => {
  const home = splunkHome('c');
  const text = expectErrorReply(await runDirect({ SPLUNK_HOME: home, PATH: '/nonexistent' }));
  expect(text).toMatch(/neither the app's built-in runtime nor a Node\.js >= 18 could run/);
  expect(text).toContain('T1612_NODE: not set');
  expect(text).toContain(`built-in runtime ${appDir}/bin/t1612score-linux-x86_64: not installed`);
  expect(text).toContain(`$SPLUNK_HOME/bin/splunk cmd node: ${home}/bin/splunk not found`);
  expect(text).toContain('node on PATH: not found');
  expect(text).toMatch(/Fix: install this platform's package of the app/);
  expect(text).toMatch(/set T1612_NODE=\/path\/to\/node/);
});

test('(c2) only a too-old node: it is named in the ERROR reply', async () => {
  const home = splunkHome('c2', (bin) =>
    fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\nprintf 16.20.2\n', { mode: 0o755 }),
  );
  const text = expectErrorReply(await runDirect({ SPLUNK_HOME: home, PATH: '/nonexistent' }));
  expect(text).toContain('Node v16.20.2 is older than v18');
});

test('T1612_NODE wins over every other Node', async () => {
  const home = splunkHome('d', (bin) =>
    fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\nexit 9\n', { mode: 0o755 }),
  );
  const r = await runDirect({ SPLUNK_HOME: home, PATH: '/nonexistent', T1612_NODE: process.execPath });
  expectSameAsBundle(r);
  expect(r.stderr).toContain(`using T1612_NODE=${process.execPath}`);
});
