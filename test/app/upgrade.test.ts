/**
 * Tuning survives an upgrade: install a package, tune it the documented way (local/macros.conf, the user
 * allowlist lookups/t1612_allowlist_local.csv), extract a newer package over it as `splunk install app
 * -update 1` or a manual upgrade does, and run the command with the tuning as Splunk would apply it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { confValue, parseConf } from '../../src/packaging/conf';
import { stageApp } from '../../src/packaging/layout';
import { readTgz } from '../../src/packaging/tar';
import { serializeTable } from '../../src/scp/csv';
import { RecordTable } from '../../src/scp/records';
import { executeFrame, getinfoFrame, runProcess } from '../helpers/scp';
import { buildPackage, editFile, requireBundle, ROOT, tmpDir } from './helpers';

jest.setTimeout(60_000);

const HEADER = 'host,user,parent_process_name,process_pattern,comment';
const USER_ROWS = `${HEADER}\nbuildhost9,,,*docker build*,our image builder\n`;
const LOCAL_MACROS = '[t1612_score_options]\ndefinition = allowlist=t1612_allowlist.csv weight_no_cache=0\n';
const event = (host: string) => ({
  _raw: `2026-11-27T23:23:21.363760+00:00 ${host} sudo:  jenkins : PWD=/tmp ; USER=root ; COMMAND=/usr/bin/docker build --no-cache -t app /tmp/ctx`,
  sourcetype: 'linux_secure',
  host,
});

const work = tmpDir('t1612-upgrade-');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
beforeAll(() => requireBundle());

function untar(tgz: string, dir: string): void {
  const r = spawnSync('tar', ['-xzf', tgz, '-C', dir]);
  if (r.status !== 0) throw new Error(`tar failed: ${String(r.stderr)}`);
}

/** The macro as Splunk resolves it: the app's local/ over its default/. */
function effectiveMacro(app: string, name: string): string {
  for (const layer of ['local', 'default']) {
    const file = path.join(app, layer, 'macros.conf');
    if (!fs.existsSync(file)) continue;
    const v = confValue(parseConf(fs.readFileSync(file, 'utf8')), name, 'definition');
    if (v !== undefined) return v;
  }
  throw new Error(`macro ${name} not defined`);
}

async function score(app: string, args: string[], hosts: string[]) {
  const events = hosts.map(event);
  const fields = Object.keys(events[0]);
  const body = serializeTable({ fields, rows: events.map((e) => fields.map((f) => e[f as keyof typeof e])) });
  const r = await runProcess([path.join(app, 'bin', 't1612score')], [getinfoFrame(args), executeFrame(body, true)], {
    env: { PATH: '/nonexistent', T1612_NODE: process.execPath },
  });
  expect(r.code).toBe(0);
  const t = RecordTable.parse(r.replies[1].body);
  return t.rows.map((row) => Object.fromEntries(t.fields.map((f, i) => [f, row[i]])));
}

test('the package never contains a user allowlist, even when the source tree has one', () => {
  const root = fs.mkdtempSync(path.join(work, 'src-'));
  for (const d of ['app', 'default', 'lookups', 'bin'])
    fs.cpSync(path.join(ROOT, d), path.join(root, d), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.writeFileSync(path.join(root, 'lookups', 't1612_allowlist_local.csv'), USER_ROWS);
  const staged = stageApp(root);
  expect(staged.files.map((f) => f.rel)).toContain('lookups/t1612_allowlist.csv');
  expect(staged.files.map((f) => f.rel)).not.toContain('lookups/t1612_allowlist_local.csv');
  expect(staged.skipped.join()).toMatch(/t1612_allowlist_local\.csv \(user lookup/);
});

test('upgrade-keeps-tuning: local/macros.conf and the user allowlist still apply after a newer package', async () => {
  const apps = path.join(work, 'etc', 'apps');
  fs.mkdirSync(apps, { recursive: true });
  const oldPkg = buildPackage(fs.mkdtempSync(path.join(work, 'old-')));
  const newPkg = buildPackage(fs.mkdtempSync(path.join(work, 'new-')), (s) => {
    editFile(s, 'default/app.conf', (t) => t.replace(/^version = .*$/gm, 'version = 9.9.9'));
    editFile(s, 'lookups/t1612_allowlist.csv', (t) => `${t}shipped-ci-*,,,*docker build*,a new shipped default row\n`);
    editFile(s, 'default/macros.conf', (t) => `${t}\n# changed in the newer release\n`);
  });
  // Neither package ships the user's files.
  for (const p of [oldPkg, newPkg])
    expect(readTgz(fs.readFileSync(p)).some((e) => /\/local\/|_local\.csv$/.test(e.path))).toBe(false);
  untar(oldPkg, apps);
  const id = readTgz(fs.readFileSync(oldPkg))[0].path.split('/')[0];
  const app = path.join(apps, id);
  fs.mkdirSync(path.join(app, 'local'));
  fs.writeFileSync(path.join(app, 'local', 'macros.conf'), LOCAL_MACROS);
  fs.writeFileSync(path.join(app, 'lookups', 't1612_allowlist_local.csv'), USER_ROWS);

  untar(newPkg, apps); // the upgrade
  expect(confValue(parseConf(fs.readFileSync(path.join(app, 'default', 'app.conf'), 'utf8')), 'id', 'version')).toBe(
    '9.9.9',
  );
  expect(fs.readFileSync(path.join(app, 'local', 'macros.conf'), 'utf8')).toBe(LOCAL_MACROS);
  expect(fs.readFileSync(path.join(app, 'lookups', 't1612_allowlist_local.csv'), 'utf8')).toBe(USER_ROWS);

  const tuned = effectiveMacro(app, 't1612_score_options');
  expect(tuned).toBe('allowlist=t1612_allowlist.csv weight_no_cache=0');
  const [user, other, shipped] = await score(app, tuned.split(' '), ['buildhost9', 'web-01', 'shipped-ci-3']);
  expect(user.allowlisted).toBe('1');
  expect(user.risk_score).toBe('0');
  expect(user.allowlist_match).toMatch(/^t1612_allowlist_local\.csv line 2: host=buildhost9 .*\(our image builder\)/);
  expect(shipped.allowlisted).toBe('1'); // the newer package's shipped rows apply too
  expect(shipped.allowlist_match).toMatch(/^t1612_allowlist\.csv /);
  expect(other.allowlisted).toBe('0');
  // The local weight applies: the same event scores lower than under the shipped macro.
  const shippedMacros = parseConf(fs.readFileSync(path.join(app, 'default', 'macros.conf'), 'utf8'));
  const shippedDef = confValue(shippedMacros, 't1612_score_options', 'definition')!;
  expect(shippedDef).not.toContain('weight_no_cache');
  const [untuned] = await score(app, shippedDef.split(' '), ['web-01']);
  expect(Number(other.risk_score)).toBeLessThan(Number(untuned.risk_score));
});
