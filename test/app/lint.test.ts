import * as fs from 'fs';
import * as path from 'path';
import { lintPackage, Finding, CHECKS } from '../../src/packaging/lint';
import { Staged } from '../../src/packaging/layout';
import { encodePng } from '../../src/packaging/png';
import { readPackageVersion } from '../../src/packaging/layout';
import { buildPackage, editFile, requireBundle, ROOT, SPEC_DIR, tmpDir } from './helpers';

const dir = tmpDir('t1612-lint-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function lintWith(mutate?: (s: Staged) => void): Finding[] {
  const sub = fs.mkdtempSync(path.join(dir, 'p-'));
  return lintPackage(buildPackage(sub, mutate), { specDir: SPEC_DIR, expectedVersion: readPackageVersion(ROOT) });
}

function failures(fs: Finding[], check: string): string[] {
  return fs.filter((f) => f.severity === 'fail' && f.check === check).map((f) => f.message);
}

beforeAll(() => requireBundle());

test('the app as committed passes every offline check', () => {
  const findings = lintWith();
  expect(findings.filter((f) => f.severity === 'fail')).toEqual([]);
  for (const f of findings) expect(Object.keys(CHECKS)).toContain(f.check);
});

test('a chunked stanza with run_in_preview fails check_ignored_parameters_v2_command', () => {
  const f = lintWith((s) => editFile(s, 'default/commands.conf', (t) => t + 'run_in_preview = false\n'));
  expect(failures(f, 'check_ignored_parameters_v2_command').join()).toMatch(/run_in_preview/);
});

test('REST key names in savedsearches.conf are rejected by the spec check', () => {
  const f = lintWith((s) =>
    editFile(s, 'default/savedsearches.conf', (t) => t.replace(/^enableSched = 1$/m, 'is_scheduled = 1')),
  );
  expect(failures(f, 't1612_conf_spec').join()).toMatch(/"is_scheduled" is not a setting/);
  // ...and the scheduled-search checks no longer see a schedule for that stanza, which is fine; a bad value is caught too:
  const g = lintWith((s) =>
    editFile(s, 'default/savedsearches.conf', (t) =>
      t.replace(/^counttype = number of events$/m, 'counttype = events'),
    ),
  );
  expect(failures(g, 't1612_conf_spec').join()).toMatch(/counttype/);
});

test('unknown app.conf stanzas, duplicate keys and broken lines are reported', () => {
  const f = lintWith((s) =>
    editFile(
      s,
      'default/app.conf',
      (t) => t + '\n[bogus_stanza]\nfoo = 1\n\n[ui]\nlabel = x\nlabel = y\nnot a setting\n',
    ),
  );
  const msgs = failures(f, 't1612_conf_spec').join('\n');
  expect(msgs).toMatch(/\[bogus_stanza\] is not documented/);
  expect(msgs).toMatch(/sets "label" twice/);
  expect(msgs).toMatch(/not a "key = value" line/);
});

test('an SPL command Splunk does not know and an undefined macro fail t1612_spl_commands', () => {
  const f = lintWith((s) =>
    editFile(s, 'default/savedsearches.conf', (t) =>
      t.replace('| `t1612_threshold` \\', '| `t1612_threshold` \\\n| frobnicate x \\\n| `no_such_macro` \\'),
    ),
  );
  const msgs = failures(f, 't1612_spl_commands').join('\n');
  expect(msgs).toMatch(/macro `no_such_macro` is not defined/);
  const g = lintWith((s) =>
    editFile(s, 'default/savedsearches.conf', (t) =>
      t.replace('| `t1612_threshold` \\', '| `t1612_threshold` \\\n| frobnicate x \\'),
    ),
  );
  expect(failures(g, 't1612_spl_commands').join()).toMatch(/"frobnicate"/);
});

test('a view without version="1.1" or with broken XML fails', () => {
  const view = 'default/data/ui/views/t1612_overview.xml';
  const f = lintWith((s) => editFile(s, view, (t) => t.replace('<form version="1.1"', '<form')));
  expect(failures(f, 'check_simplexml_standards_version').join()).toMatch(/version="1.1"/);
  const g = lintWith((s) => editFile(s, view, (t) => t.replace('</row>', '')));
  expect(failures(g, 'check_simplexml_standards_version').join()).toMatch(/not well-formed/);
});

test('dotfiles, local/, exec bits outside bin and wrong modes fail', () => {
  const f = lintWith((s) => {
    s.files.push({ rel: '.DS_Store', data: Buffer.from('x'), mode: 0o644 });
    s.files.push({ rel: 'local/app.conf', data: Buffer.from('[ui]\n'), mode: 0o644 });
    const conf = s.files.find((x) => x.rel === 'default/macros.conf')!;
    conf.mode = 0o755;
    const js = s.files.find((x) => x.rel === 'bin/t1612score.js')!;
    js.mode = 0o666;
  });
  expect(failures(f, 'check_for_hidden_files').length).toBeGreaterThan(0);
  expect(failures(f, 'check_that_local_does_not_exist').length).toBeGreaterThan(0);
  expect(failures(f, 'check_for_bin_files').join()).toMatch(/default\/macros.conf/);
  expect(failures(f, 'check_for_expansive_permissions').join()).toMatch(/t1612score\.js/);
  expect(failures(f, 't1612_exact_modes').length).toBeGreaterThanOrEqual(2);
});

test('icons of the wrong size and invalid lookup CSVs fail', () => {
  const f = lintWith((s) => {
    s.files.find((x) => x.rel === 'static/appIcon.png')!.data = encodePng(40, 36, new Uint8Array(40 * 36 * 4));
    editFile(s, 'lookups/t1612_allowlist.csv', (t) => t + 'only,three,columns\n');
  });
  expect(failures(f, 'check_app_icon_dimensions').join()).toMatch(/40x36/);
  expect(failures(f, 'check_lookup_csv_is_valid').join()).toMatch(/3 columns/);
});

test('version drift between app.conf and package.json fails', () => {
  const f = lintWith((s) => editFile(s, 'default/app.conf', (t) => t.replace(/^version = .*$/m, 'version = 9.9.9')));
  expect(failures(f, 't1612_app_conf_identity').join()).toMatch(/9\.9\.9/);
});

test('a missing command script and a folder/id mismatch fail', () => {
  const f = lintWith((s) => {
    s.files = s.files.filter((x) => x.rel !== 'bin/t1612score');
    s.id = 'other_name';
  });
  expect(failures(f, 'check_command_scripts_exist').join()).toMatch(/t1612score not found/);
  expect(failures(f, 'check_that_directory_name_matches_package_id').join()).toMatch(/other_name/);
});

test('the committed icons are real PNGs generated by make-icons', () => {
  // Regenerating must give the committed bytes, so the PNGs never drift from their source.
  const { drawIcon } = jest.requireActual<typeof import('../../src/tools/make-icons')>('../../src/tools/make-icons');
  for (const [name, size] of [
    ['appIcon.png', 36],
    ['appIcon_2x.png', 72],
  ] as const) {
    const committed = fs.readFileSync(path.join(ROOT, 'app', 'static', name));
    expect(committed.equals(encodePng(size, size, drawIcon(size)))).toBe(true);
  }
});
