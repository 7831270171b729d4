#!/usr/bin/env node
/**
 * `npm run package` (after `npm run build`, which the npm script does): one app package per platform, each
 * with the Node runtime built in (docs/runtime.md):
 *   dist/<id>-<version>-linux-x86_64.tgz, -linux-aarch64.tgz, -windows-x86_64.tgz
 *   dist/<id>-<version>.tgz   the Linux x86_64 package again, under the name the install guide uses
 * `--no-runtime`: only dist/<id>-<version>.tgz, without a runtime (needs a Node >= 18 on every host).
 * Node binaries are cached in build/runtime-cache (or $T1612_RUNTIME_CACHE). Diagnostics on stderr;
 * the package paths on stdout.
 */
import * as fs from 'fs';
import * as path from 'path';
import { confValue, parseConf } from '../packaging/conf';
import { Staged, stageApp, tarEntries } from '../packaging/layout';
import { replicatedBytes } from '../packaging/replication';
import { buildSea, hostTarget, nodeBinary, NODE_RUNTIME_VERSION, RUNTIME_TARGETS, seaBlob } from '../packaging/runtime';
import { createTgz } from '../packaging/tar';

const ROOT = path.resolve(__dirname, '..');

function log(line: string): void {
  process.stderr.write(`package: ${line}\n`);
}

/** The version lives in package.json; app.conf and app.manifest must repeat it exactly. */
function checkVersions(version: string): string[] {
  const problems: string[] = [];
  const appConf = parseConf(fs.readFileSync(path.join(ROOT, 'default', 'app.conf'), 'utf8'));
  for (const [stanza, key] of [
    ['launcher', 'version'],
    ['id', 'version'],
  ] as const) {
    const v = confValue(appConf, stanza, key);
    if (v !== version) problems.push(`default/app.conf [${stanza}] ${key} = ${v}, package.json version = ${version}`);
  }
  const manifestPath = path.join(ROOT, 'app', 'app.manifest');
  if (fs.existsSync(manifestPath)) {
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { info?: { id?: { version?: string } } };
    if (m.info?.id?.version !== version)
      problems.push(`app/app.manifest info.id.version = ${m.info?.id?.version}, package.json version = ${version}`);
  }
  return problems;
}

interface Built {
  platform: string;
  file: string;
  packageBytes: number;
  bundleBytes: number;
}

function writePackage(staged: Staged, name: string, epoch: number): Built & { data: Buffer } {
  // Level 6: the runtime is most of the bytes and level 9 costs 3x the time for < 1% less.
  const tgz = createTgz(tarEntries(staged), epoch, 6);
  const out = path.join(ROOT, 'dist', name);
  fs.writeFileSync(out, tgz);
  return { platform: '', file: out, packageBytes: tgz.length, bundleBytes: replicatedBytes(staged), data: tgz };
}

async function runtimes(bundle: string): Promise<Map<string, { file: string; license: Buffer }>> {
  const cache = process.env.T1612_RUNTIME_CACHE ?? path.join(ROOT, 'build', 'runtime-cache');
  const host = hostTarget();
  if (!host) throw new Error(`the runtime build needs a Linux x86_64/aarch64 or Windows x86_64 machine`);
  const hostNode = nodeBinary(host, cache, log);
  const license = fs.readFileSync(path.join(path.dirname(hostNode), 'LICENSE'));
  const blob = seaBlob(hostNode, bundle, path.join(ROOT, 'build', 'sea'));
  const out = new Map<string, { file: string; license: Buffer }>();
  for (const t of RUNTIME_TARGETS) {
    const file = path.join(ROOT, 'build', 'sea', t.platform, path.basename(t.appPath));
    const started = Date.now();
    await buildSea(t, nodeBinary(t, cache, log), blob, file, log);
    log(
      `built ${t.platform} runtime (Node ${NODE_RUNTIME_VERSION}, ${fs.statSync(file).size} bytes, ${Date.now() - started} ms)`,
    );
    out.set(t.platform, { file, license });
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const staged0 = stageApp(ROOT);
  const problems = checkVersions(staged0.version);
  if (problems.length) {
    for (const p of problems) log(`version mismatch: ${p}`);
    log('package.json "version" is the source of truth: update default/app.conf and app/app.manifest to match.');
    return 1;
  }
  const commands = parseConf(fs.readFileSync(path.join(ROOT, 'default', 'commands.conf'), 'utf8'));
  const command = commands.stanzas[0]?.name ?? 't1612score';
  const bundle = path.join(ROOT, 'bin', `${command}.js`);
  if (!fs.existsSync(bundle)) {
    log(`bin/${command}.js is missing: run npm run build first`);
    return 1;
  }
  for (const s of staged0.skipped) log(`skipped ${s}`);
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? Math.floor(Date.now() / 1000));
  fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  const base = `${staged0.id}-${staged0.version}`;
  if (argv.includes('--no-runtime')) {
    const p = writePackage(staged0, `${base}.tgz`, epoch);
    log(`${staged0.files.length} files, ${p.packageBytes} bytes, no runtime -> ${path.relative(ROOT, p.file)}`);
    process.stdout.write(`${p.file}\n`);
    return 0;
  }
  const built = await runtimes(bundle);
  const sizes: Built[] = [];
  for (const t of RUNTIME_TARGETS) {
    const rt = built.get(t.platform)!;
    const staged: Staged = { ...staged0, files: [...staged0.files] };
    staged.files.push({ rel: t.appPath, data: fs.readFileSync(rt.file), mode: 0o755 });
    staged.files.push({ rel: `${path.posix.dirname(t.appPath)}/NODE_LICENSE.txt`, data: rt.license, mode: 0o644 });
    staged.files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    const p = writePackage(staged, `${base}-${t.platform}.tgz`, epoch);
    if (t.platform === 'linux-x86_64') fs.writeFileSync(path.join(ROOT, 'dist', `${base}.tgz`), p.data);
    sizes.push({
      platform: t.platform,
      file: path.relative(ROOT, p.file),
      packageBytes: p.packageBytes,
      bundleBytes: p.bundleBytes,
    });
    log(
      `${t.platform}: ${p.packageBytes} bytes, knowledge bundle share ${p.bundleBytes} bytes -> ${path.relative(ROOT, p.file)}`,
    );
    process.stdout.write(`${p.file}\n`);
  }
  fs.writeFileSync(path.join(ROOT, 'dist', `${base}-sizes.json`), JSON.stringify(sizes, null, 2) + '\n');
  log(`dist/${base}.tgz is the linux-x86_64 package`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    log(`ERROR ${(e as Error).message}`);
    process.exitCode = 1;
  },
);
