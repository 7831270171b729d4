/**
 * scripts/build.js --if-stale, which jest's global setup runs: a copy of the sources builds once, is left alone
 * while unchanged, and is rebuilt after an alert text changes, so a suite run alone never executes old code.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const ALERT = 'MEDIUM: Dockerfile in temporary directory';

/** Runs the build on a copy of the project; returns what it reports on stderr. */
function build(root: string): string {
  const args = [path.join(ROOT, 'scripts', 'build.js'), 'command', '--if-stale', '--root', root];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60000 });
  expect(r.status).toBe(0);
  return r.stderr;
}

test('a changed alert text in src/ is rebuilt into the bundle; unchanged sources are not rebuilt', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 't1612build-'));
  fs.cpSync(path.join(ROOT, 'src'), path.join(root, 'src'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const bundle = path.join(root, 'bin', 't1612score.js');
  const seed = path.join(root, 'src', 'detection', 'seed.ts');
  expect(fs.readFileSync(seed, 'utf8')).toContain(ALERT);

  expect(build(root)).toBe('build: built command\n');
  expect(fs.readFileSync(bundle, 'utf8')).toContain(ALERT);
  const first = fs.statSync(bundle);
  expect(build(root)).toBe('build: up to date\n');
  expect(fs.statSync(bundle).ino).toBe(first.ino); // not replaced

  fs.writeFileSync(seed, fs.readFileSync(seed, 'utf8').replace(ALERT, 'MEDIUM: edited alert text'));
  expect(build(root)).toBe('build: built command\n');
  const text = fs.readFileSync(bundle, 'utf8');
  expect(text).toContain('MEDIUM: edited alert text');
  expect(text).not.toContain(ALERT);
  fs.rmSync(root, { recursive: true, force: true });
});

/** esbuild imported, npm/npx/esbuild spawned, or scripts/build.js run. */
const BUILDS =
  /from 'esbuild'|require\('esbuild'\)|(exec|execFile|spawn)(Sync)?\(\s*['"`](npm|npx|esbuild)\b|'scripts', 'build\.js'|scripts\/build\.js/;

test('no suite builds in place: only the global setup runs the build on this tree', () => {
  const builders: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'fixtures') walk(p);
      } else if (p.endsWith('.ts') && p !== __filename && p !== path.join(ROOT, 'test', 'global-setup.ts')) {
        if (BUILDS.test(fs.readFileSync(p, 'utf8'))) builders.push(path.relative(ROOT, p));
      }
    }
  };
  walk(path.join(ROOT, 'test'));
  expect(builders).toEqual([]);
});
