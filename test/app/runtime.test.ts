/**
 * The packages `npm run package` builds carry their own Node runtime. Installed into a fake $SPLUNK_HOME
 * with no Node anywhere (PATH holds no node, $SPLUNK_HOME/bin is empty), the Linux x86_64 package scores
 * a recorded splunkd exchange (Splunk 8.0.3 capture, test/fixtures/scpv2/multibyte_input.gz) as a search
 * head and as a peer running from a knowledge-bundle copy; the aarch64 and Windows builds are checked for
 * their format (they cannot run here).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { readAppId, readPackageVersion } from '../../src/packaging/layout';
import { checkSea, machineOf, RUNTIME_TARGETS } from '../../src/packaging/runtime';
import { readTgz } from '../../src/packaging/tar';
import { serializeTable } from '../../src/scp/csv';
import { RecordTable } from '../../src/scp/records';
import { executeFrame, getinfoFrame, runProcess } from '../helpers/scp';
import { driveExchange, Exchange, parseReplies, requestFrames, TIMEOUT_MS } from './exchange';
import { ROOT, tmpDir } from './helpers';

jest.setTimeout(180_000);

const RECORDING = path.join(ROOT, 'test', 'fixtures', 'scpv2', 'multibyte_input.gz');
const BASE = `${readAppId(ROOT)}-${readPackageVersion(ROOT)}`;
const pkg = (platform: string) => path.join(ROOT, 'dist', `${BASE}-${platform}.tgz`);
const APP = readAppId(ROOT);

let work: string;
let frames: Buffer[];
let reference: Buffer;
let emptyPath: string;
let installed: string; // $SPLUNK_HOME/etc/apps/<app> of the search-head install

function extract(tgz: string, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  const r = spawnSync('tar', ['-xzf', tgz, '-C', into], { timeout: TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`tar failed: ${String(r.stderr)}`);
}

/** Copies the folders a knowledge bundle carries by default: bin, default, lookups, metadata. */
function bundleCopy(from: string, to: string, keep: (rel: string) => boolean = () => true): void {
  for (const dir of ['bin', 'default', 'lookups', 'metadata']) {
    fs.cpSync(path.join(from, dir), path.join(to, dir), {
      recursive: true,
      filter: (src) => keep(path.relative(from, src)),
    });
  }
}

/** splunkd's environment on a host without Node: SPLUNK_HOME, and a PATH with no node in it. */
function env(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { SPLUNK_HOME: home, PATH: emptyPath, ...extra };
}

function expectScored(r: Exchange): void {
  expect(r.status).toBe(0);
  expect(r.requestsSent).toBe(frames.length);
  expect(r.stdout.equals(reference)).toBe(true);
}

/** The package's command bundle, to tell a package built from other sources than the working tree's. */
function packagedBundle(tgz: string): Buffer | undefined {
  if (!fs.existsSync(tgz)) return undefined;
  return readTgz(fs.readFileSync(tgz)).find((e) => e.path.endsWith('/bin/t1612score.js'))?.data;
}

beforeAll(() => {
  // jest's global setup built bin/t1612score.js from today's sources; packages built from older sources (or
  // none yet) are rebuilt here, so this suite run alone still tests the current code.
  const current = fs.readFileSync(path.join(ROOT, 'bin', 't1612score.js'));
  if (RUNTIME_TARGETS.some((t) => !packagedBundle(pkg(t.platform))?.equals(current))) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'build', 'package.js')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 600_000,
    });
    if (r.status !== 0) throw new Error(`building the packages failed (node build/package.js exit ${r.status})`);
  }
  for (const t of RUNTIME_TARGETS)
    if (!packagedBundle(pkg(t.platform))?.equals(current)) throw new Error(`${pkg(t.platform)} is not current`);
  work = tmpDir('t1612-runtime-');
  emptyPath = path.join(work, 'empty-path');
  fs.mkdirSync(emptyPath);
  const input = gunzipSync(fs.readFileSync(RECORDING));
  frames = requestFrames(input);
  const home = path.join(work, 'sh');
  extract(pkg('linux-x86_64'), path.join(home, 'etc', 'apps'));
  installed = path.join(home, 'etc', 'apps', APP);
  // What the command must answer: the package's own bundle under this test's Node.
  const r = spawnSync(process.execPath, [path.join(installed, 'bin', 't1612score.js')], {
    input,
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.status).toBe(0);
  reference = r.stdout;
  expect(parseReplies(reference)).toHaveLength(frames.length);
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('search-head-no-node: the Linux x86_64 package scores events with no Node on the host', async () => {
  const home = path.join(work, 'sh');
  expect(fs.readdirSync(path.join(home, 'etc'))).toEqual(['apps']); // no $SPLUNK_HOME/bin at all
  const r = await driveExchange(path.join(installed, 'bin', 't1612score'), env(home), frames);
  expectScored(r);
  expect(r.stderr).toContain(`using built-in runtime ${installed}/bin/t1612score-linux-x86_64`);
});

test('peer-bundle-no-node: a knowledge-bundle copy (bin, default, lookups, metadata) scores events', async () => {
  const home = path.join(work, 'peer1');
  const copy = path.join(home, 'var', 'run', 'searchpeers', 'sh1-1764460800', 'apps', APP);
  bundleCopy(installed, copy);
  const r = await driveExchange(path.join(copy, 'bin', 't1612score'), env(home), frames);
  expectScored(r);
  expect(r.stderr).toContain(`using built-in runtime ${copy}/bin/t1612score-linux-x86_64`);
});

for (const where of ['peer-apps', 'slave-apps', 'apps']) {
  test(`peer-runtime-in-etc-${where}: a bundle copy without the runtime uses the one installed in etc/${where}`, async () => {
    const home = path.join(work, `peer-${where}`);
    const copy = path.join(home, 'var', 'run', 'searchpeers', 'sh1-1764460800', 'apps', APP);
    bundleCopy(installed, copy, (rel) => !rel.startsWith('bin/t1612score-'));
    const local = path.join(home, 'etc', where, APP);
    extract(pkg('linux-x86_64'), path.dirname(local));
    // Without SPLUNK_HOME in the environment, the launcher derives it from the bundle path.
    const e = env(home);
    delete (e as Partial<Record<string, string>>).SPLUNK_HOME;
    const r = await driveExchange(path.join(copy, 'bin', 't1612score'), e, frames);
    expectScored(r);
    expect(r.stderr).toContain(`built-in runtime ${copy}/bin/t1612score-linux-x86_64: not installed`);
    expect(r.stderr).toContain(`using runtime installed on this host ${local}/bin/t1612score-linux-x86_64`);
  });
}

test('sea-ignores-system-node: the runtime never starts a node from PATH', async () => {
  const fakeDir = path.join(work, 'fake-node');
  const marker = path.join(work, 'fake-node-ran');
  fs.mkdirSync(fakeDir);
  fs.writeFileSync(path.join(fakeDir, 'node'), `#!/bin/sh\necho ran > "${marker}"\nexit 3\n`, { mode: 0o755 });
  const r = await driveExchange(path.join(installed, 'bin', 't1612score-linux-x86_64'), { PATH: fakeDir }, frames);
  expectScored(r);
  expect(fs.existsSync(marker)).toBe(false);
});

test('runtime-wins-over-path-node and T1612_NODE overrides the runtime', async () => {
  const home = path.join(work, 'sh');
  const withNode = path.join(work, 'path-with-node');
  fs.mkdirSync(withNode);
  fs.symlinkSync(process.execPath, path.join(withNode, 'node'));
  const r = await driveExchange(path.join(installed, 'bin', 't1612score'), env(home, { PATH: withNode }), frames);
  expectScored(r);
  expect(r.stderr).toContain('using built-in runtime');
  const override = await driveExchange(
    path.join(installed, 'bin', 't1612score'),
    env(home, { T1612_NODE: process.execPath }),
    frames,
  );
  expectScored(override);
  expect(override.stderr).toContain(`using T1612_NODE=${process.execPath}`);
});

test('broken-runtime: a runtime that cannot start gives one ERROR reply naming it', async () => {
  const home = path.join(work, 'broken');
  const app = path.join(home, 'etc', 'apps', APP);
  bundleCopy(installed, app, (rel) => !rel.startsWith('bin/t1612score-'));
  // A truncated download: the ELF header is there, the rest is not.
  const head = fs.readFileSync(path.join(installed, 'bin', 't1612score-linux-x86_64')).subarray(0, 4096);
  fs.writeFileSync(path.join(app, 'bin', 't1612score-linux-x86_64'), head, { mode: 0o755 });
  const r = await driveExchange(path.join(app, 'bin', 't1612score'), env(home), frames);
  expect(r.status).toBe(1);
  expect(r.replies).toHaveLength(1);
  const messages = (r.replies[0].metadata.inspector as { messages: [string, string][] }).messages;
  expect(messages).toHaveLength(1);
  expect(messages[0][0]).toBe('ERROR');
  expect(messages[0][1]).toContain(`built-in runtime ${app}/bin/t1612score-linux-x86_64: does not start on this host`);
});

describe.each(RUNTIME_TARGETS.map((t) => [t.platform, t] as const))('%s package', (platform, target) => {
  test('holds the runtime where its platform looks for it, built for that machine, with the blob inside', () => {
    const entries = readTgz(fs.readFileSync(pkg(platform)));
    const byPath = new Map(entries.map((e) => [e.path, e]));
    const exe = byPath.get(`${APP}/${target.appPath}`);
    expect(exe).toBeDefined();
    expect(exe!.mode).toBe(0o755);
    const js = byPath.get(`${APP}/bin/t1612score.js`)!.data;
    expect(checkSea(exe!.data, target, js)).toEqual([]);
    expect(machineOf(exe!.data)).toEqual({ format: target.format, machine: target.machine });
    expect(byPath.has(`${APP}/${path.posix.dirname(target.appPath)}/NODE_LICENSE.txt`)).toBe(true);
    // Exactly one runtime per package.
    const runtimes = entries.filter((e) => e.type === 'file' && machineOf(e.data) !== undefined);
    expect(runtimes.map((e) => e.path)).toEqual([`${APP}/${target.appPath}`]);
  });
});

test('checkSea fails on a binary without the blob and on the wrong machine', () => {
  const linux = RUNTIME_TARGETS.find((t) => t.platform === 'linux-x86_64')!;
  const arm = RUNTIME_TARGETS.find((t) => t.platform === 'linux-aarch64')!;
  const exe = fs.readFileSync(path.join(installed, 'bin', 't1612score-linux-x86_64'));
  expect(checkSea(exe, arm).join()).toMatch(/expected elf machine 183, got elf 62/);
  const unfused = Buffer.from(
    exe.toString('latin1').replace(/NODE_SEA_FUSE_([0-9a-f]{32}):1/, 'NODE_SEA_FUSE_$1:0'),
    'latin1',
  );
  expect(checkSea(unfused, linux).join()).toMatch(/fuse is not set/);
  expect(checkSea(exe, linux, Buffer.from('a blob that is not there'))).toEqual(['the SEA blob is not embedded']);
});

test('runtime-started-directly (the Windows way: no launcher) reads the allowlists of its own app', async () => {
  const home = path.join(work, 'direct');
  extract(pkg('linux-x86_64'), path.join(home, 'etc', 'apps'));
  const app = path.join(home, 'etc', 'apps', APP);
  fs.writeFileSync(
    path.join(app, 'lookups', 't1612_allowlist_local.csv'),
    'host,user,parent_process_name,process_pattern,comment\nbuildhost9,,,*docker build*,our builder\n',
  );
  const ev = {
    _raw: '2026-11-27T23:23:21.363760+00:00 buildhost9 sudo:  jenkins : PWD=/tmp ; USER=root ; COMMAND=/usr/bin/docker build --no-cache -t app /tmp/ctx',
    sourcetype: 'linux_secure',
    host: 'buildhost9',
  };
  const body = serializeTable({ fields: Object.keys(ev), rows: [Object.values(ev)] });
  const r = await runProcess(
    [path.join(app, 'bin', 't1612score-linux-x86_64')],
    [getinfoFrame(['allowlist=t1612_allowlist.csv']), executeFrame(body, true)],
    { env: { PATH: emptyPath } },
  );
  expect(r.code).toBe(0);
  const t = RecordTable.parse(r.replies[1].body);
  expect(t.get(t.rows[0], 'allowlisted')).toBe('1');
  expect(t.get(t.rows[0], 'allowlist_match')).toMatch(/^t1612_allowlist_local\.csv line 2: host=buildhost9/);
});
