/** The lint registry and single checks run on their own (the whole report: lint.test.ts). */
import * as fs from 'fs';
import * as path from 'path';
import { CHECKS, lintPackage, REGISTRY, runCheck } from '../../src/packaging/lint';
import { launcherRunnable, platformBinariesDeclared } from '../../src/packaging/lint/command-checks';
import { loadContext } from '../../src/packaging/lint/context';
import { buildPackage, editFile, requireBundle, SPEC_DIR, tmpDir } from './helpers';

const dir = tmpDir('t1612-lint-checks-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(() => requireBundle());
const opts = { specDir: SPEC_DIR };

test('one function per rule: names are unique and CHECKS lists the registry in order', () => {
  const names = REGISTRY.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
  expect(Object.keys(CHECKS)).toEqual(names);
  for (const c of REGISTRY) expect(c.description.length).toBeGreaterThan(5);
});

test('a launcher without "#!" fails t1612_launcher_runnable; a PE runtime in windows_x86_64/bin passes', () => {
  const noShebang = buildPackage(fs.mkdtempSync(path.join(dir, 'a-')), (s) =>
    editFile(s, 'bin/t1612score', (t) => t.replace('#!/bin/sh\n', '')),
  );
  expect(runCheck(launcherRunnable, loadContext(noShebang, opts)).map((f) => f.message)).toEqual([
    'bin/t1612score has no "#!" line',
  ]);
  const pe = Buffer.alloc(0x100);
  pe.write('MZ', 0, 'latin1');
  const withPe = buildPackage(fs.mkdtempSync(path.join(dir, 'b-')), (s) =>
    s.files.push({ rel: 'windows_x86_64/bin/t1612score', data: pe, mode: 0o755 }),
  );
  const ctx = loadContext(withPe, opts);
  expect(runCheck(launcherRunnable, ctx)).toEqual([]);
  expect(runCheck(platformBinariesDeclared, ctx)).toEqual([]); // app/README.md declares windows_x86_64
});

test('an archive that cannot be read runs only the archive-level checks', () => {
  const bad = path.join(dir, 'broken.tgz');
  fs.writeFileSync(bad, Buffer.from('not a gzip file'));
  const findings = lintPackage(bad, opts);
  expect(findings.map((f) => f.check)).toEqual(['check_that_splunk_app_package_valid_compressed_file']);
  expect(findings[0].severity).toBe('fail');
});
