/** Shared helpers for the app packaging tests: build a package from the working tree into a temp dir. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stageApp, Staged, tarEntries } from '../../src/packaging/layout';
import { createTgz } from '../../src/packaging/tar';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SPEC_DIR = path.join(ROOT, 'test', 'fixtures', 'splunk-spec');
export const BUNDLE = path.join(ROOT, 'bin', 't1612score.js');

export function requireBundle(): void {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build (npm test does it)`);
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Stages the app from the working tree (no runtime: the runtime packages are `npm run package`'s); `mutate`
 * may edit the staged files before packing.
 */
export function buildPackage(dir: string, mutate?: (s: Staged) => void): string {
  const staged = stageApp(ROOT);
  mutate?.(staged);
  const out = path.join(dir, `${staged.id}-${staged.version}.tgz`);
  fs.writeFileSync(out, createTgz(tarEntries(staged), 1_700_000_000));
  return out;
}

export function editFile(s: Staged, rel: string, edit: (text: string) => string): void {
  const f = s.files.find((x) => x.rel === rel);
  if (!f) throw new Error(`no staged file ${rel}`);
  f.data = Buffer.from(edit(f.data.toString('utf8')), 'utf8');
}
