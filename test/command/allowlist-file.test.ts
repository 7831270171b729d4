import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultLookupsDir, loadAllowlist, userAllowlistName } from '../../src/command/allowlist-file';
import { AllowlistError } from '../../src/detection/model/allowlist';

const HEADER = 'host,user,parent_process_name,process_pattern,comment';
const CSV = [
  HEADER,
  'ci-runner-*,gitlab-runner,gitlab-runner,docker build *,"GitLab runners, shell executor"',
  ',,Runner.Worker,*,GitHub Actions self-hosted runner',
  'build01,,,docker build --no-cache -t golden/* /tmp/golden*,golden image pipeline',
].join('\n');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 't1612-lookups-'));
const lookups = path.join(dir, 'lookups');
fs.mkdirSync(lookups);
fs.writeFileSync(path.join(lookups, 'mine.csv'), CSV);
fs.writeFileSync(path.join(dir, 'outside.csv'), CSV);
fs.symlinkSync(path.join(dir, 'outside.csv'), path.join(lookups, 'link.csv'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadAllowlist: the app lookups folder only', () => {
  it('loads a plain file name', () => {
    expect(loadAllowlist('mine.csv', lookups).length).toBe(3);
    expect(loadAllowlist('mine.csv', lookups)[0].source).toBe('mine.csv');
  });
  it.each(['../outside.csv', '..', '/etc/passwd', 'sub/x.csv', '..\\x.csv', '.hidden.csv', 'a..b.csv', ''])(
    'rejects %j',
    (name) => {
      expect(() => loadAllowlist(name, lookups)).toThrow(AllowlistError);
      expect(() => loadAllowlist(name, lookups)).toThrow(/not a plain file name/);
    },
  );
  it('rejects a symlink that leaves the folder, and a missing file', () => {
    expect(() => loadAllowlist('link.csv', lookups)).toThrow(/outside/);
    expect(() => loadAllowlist('nope.csv', lookups)).toThrow(/not found/);
  });
});

describe('user rows live in <stem>_local.csv, a file the package never ships', () => {
  it('names the companion', () => {
    expect(userAllowlistName('t1612_allowlist.csv')).toBe('t1612_allowlist_local.csv');
  });
  it('user-allowlist-local: shipped rows first, then the user rows, each naming its file', () => {
    const d = fs.mkdtempSync(path.join(dir, 'u-'));
    fs.writeFileSync(path.join(d, 't1612_allowlist.csv'), CSV);
    expect(loadAllowlist('t1612_allowlist.csv', d)).toHaveLength(3);
    fs.writeFileSync(path.join(d, 't1612_allowlist_local.csv'), `${HEADER}\nbuildhost9,svc-build,,,our builder\n`);
    const rows = loadAllowlist('t1612_allowlist.csv', d);
    expect(rows).toHaveLength(4);
    expect(rows[3].source).toBe('t1612_allowlist_local.csv');
    expect(rows[3].text.host).toBe('buildhost9');
  });
  it('a broken user file is an error, not silently ignored', () => {
    const d = fs.mkdtempSync(path.join(dir, 'b-'));
    fs.writeFileSync(path.join(d, 't1612_allowlist.csv'), CSV);
    fs.writeFileSync(path.join(d, 't1612_allowlist_local.csv'), 'host,comment\nx,y\n');
    expect(() => loadAllowlist('t1612_allowlist.csv', d)).toThrow(/t1612_allowlist_local\.csv: header lacks/);
  });
  it('a user companion that is a symlink out of the folder is rejected', () => {
    const d = fs.mkdtempSync(path.join(dir, 's-'));
    fs.writeFileSync(path.join(d, 't1612_allowlist.csv'), CSV);
    fs.symlinkSync(path.join(dir, 'outside.csv'), path.join(d, 't1612_allowlist_local.csv'));
    expect(() => loadAllowlist('t1612_allowlist.csv', d)).toThrow(/outside/);
  });
});

describe('defaultLookupsDir', () => {
  it('bundle in bin/ and runtime in <platform>/bin/ both read <app>/lookups', () => {
    expect(defaultLookupsDir({}, '/opt/splunk/etc/apps/x/bin')).toBe('/opt/splunk/etc/apps/x/lookups');
    expect(defaultLookupsDir({}, '/opt/splunk/etc/apps/x/windows_x86_64/bin')).toBe('/opt/splunk/etc/apps/x/lookups');
  });
  it('T1612_APP_DIR (set by the launcher) wins: a peer-installed runtime reads the bundle copy lookups', () => {
    const bundleApp = '/opt/splunk/var/run/searchpeers/sh1-1/apps/x';
    expect(defaultLookupsDir({ T1612_APP_DIR: bundleApp }, '/opt/splunk/etc/peer-apps/x/bin')).toBe(
      `${bundleApp}/lookups`,
    );
    expect(defaultLookupsDir({ T1612_APP_DIR: 'relative/dir' }, '/a/x/bin')).toBe('/a/x/lookups');
  });
});
