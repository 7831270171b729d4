#!/usr/bin/env node
/**
 * `npm run package` -> dist/<id>-<version>.tgz (run after `npm run build`, which the npm script does).
 * `npm run package:sea` first builds a Node single executable into linux_x86_64/bin/<command>
 * (docs: packaging.md §4; Linux x86_64 host with Node >= 20 needed), then packages.
 * Diagnostics on stderr; the package path on stdout.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { confValue, parseConf } from '../packaging/conf';
import { stageApp, tarEntries } from '../packaging/layout';
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

function run(cmd: string, args: string[]): void {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status ?? r.signal}`);
}

/** Node single executable application (Node 20 procedure of packaging.md §4). */
function buildSea(command: string): void {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error('the SEA build runs on Linux x86_64 only');
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) throw new Error(`the SEA build needs Node >= 20 (this is ${process.version})`);
  const work = path.join(ROOT, 'build', 'sea');
  fs.mkdirSync(work, { recursive: true });
  const config = {
    main: path.join(ROOT, 'bin', `${command}.js`),
    output: path.join(work, 'sea-prep.blob'),
    disableExperimentalSEAWarning: true,
  };
  fs.writeFileSync(path.join(work, 'sea-config.json'), JSON.stringify(config));
  run(process.execPath, ['--experimental-sea-config', path.join(work, 'sea-config.json')]);
  const outDir = path.join(ROOT, 'linux_x86_64', 'bin');
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, command);
  fs.copyFileSync(process.execPath, out);
  fs.chmodSync(out, 0o755);
  spawnSync('strip', [out], { stdio: 'inherit' }); // best effort: 99 MB -> 87 MB
  // postject is not a dependency of the project: npx fetches the pinned version for this optional build.
  run('npx', [
    '--yes',
    'postject@1.0.0-alpha.6',
    out,
    'NODE_SEA_BLOB',
    config.output,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ]);
  const probe = spawnSync(out, [], { input: '', env: { PATH: '/nonexistent' } });
  if (probe.status !== 0) throw new Error(`the SEA does not run: ${probe.stderr.toString()}`);
  // Shipping the Node runtime means shipping its licence.
  fs.writeFileSync(path.join(outDir, 'NODE_LICENSE.txt'), licenseText());
  log(`built ${path.relative(ROOT, out)} (${fs.statSync(out).size} bytes)`);
}

function licenseText(): string {
  const candidates = [
    path.join(path.dirname(process.execPath), '..', 'share', 'doc', 'nodejs', 'LICENSE'),
    '/usr/share/doc/nodejs/copyright',
  ];
  for (const c of candidates) if (fs.existsSync(c)) return fs.readFileSync(c, 'utf8');
  return `This binary embeds the Node.js ${process.version} runtime (MIT licence and bundled third-party licences: https://github.com/nodejs/node/blob/${process.version}/LICENSE).\n`;
}

function main(argv: string[]): number {
  const sea = argv.includes('--sea');
  const staged0 = stageApp(ROOT);
  const problems = checkVersions(staged0.version);
  if (problems.length) {
    for (const p of problems) log(`version mismatch: ${p}`);
    log('package.json "version" is the source of truth: update default/app.conf and app/app.manifest to match.');
    return 1;
  }
  const commands = parseConf(fs.readFileSync(path.join(ROOT, 'default', 'commands.conf'), 'utf8'));
  const command = commands.stanzas[0]?.name ?? 't1612score';
  if (!fs.existsSync(path.join(ROOT, 'bin', `${command}.js`))) {
    log(`bin/${command}.js is missing: run npm run build first`);
    return 1;
  }
  if (sea) buildSea(command);
  const staged = sea ? stageApp(ROOT) : staged0;
  for (const s of staged.skipped) log(`skipped ${s}`);
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? Math.floor(Date.now() / 1000));
  const tgz = createTgz(tarEntries(staged), epoch);
  fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  const out = path.join(ROOT, 'dist', `${staged.id}-${staged.version}.tgz`);
  fs.writeFileSync(out, tgz);
  log(`${staged.files.length} files, ${tgz.length} bytes -> ${path.relative(ROOT, out)}`);
  process.stdout.write(`${out}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  log(`ERROR ${(e as Error).message}`);
  process.exitCode = 1;
}
