/** `t1612 scan` on hostile file systems and files: skip with a warning, stream, print any number of rows. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { collectEvents, EXIT_PARTIAL, groupByIncident, ScanRow } from '../../src/scan/scan';
import { forEachLine } from '../../src/scan/lines';
import { ROOT } from '../helpers/scp';
import { SAMPLES } from '../telemetry/samples';

const CLI = path.join(ROOT, 'build', 't1612.js');
const SUDO_LOG = path.join(SAMPLES, 'lab', 'auth_sudo.log');

function scan(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'scan', ...args], {
    encoding: 'utf8',
    timeout: 120000,
    maxBuffer: 1 << 28,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 't1612-hostile-scan-'));
}, 180000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('dangling links and symlink loops (file and directory) are skipped with a warning; exit says partial', () => {
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(tree);
  fs.copyFileSync(SUDO_LOG, path.join(tree, 'auth.log'));
  fs.symlinkSync(path.join(tree, 'missing.log'), path.join(tree, 'dangling.log'));
  fs.symlinkSync(path.join(tree, 'loop-b'), path.join(tree, 'loop-a'));
  fs.symlinkSync(path.join(tree, 'loop-a'), path.join(tree, 'loop-b'));
  fs.symlinkSync(tree, path.join(tree, 'self'));
  const r = scan(['--json', tree]);
  expect(r.code).toBe(EXIT_PARTIAL);
  expect(r.stderr).toContain(
    `warning: skipped ${path.join(tree, 'dangling.log')} (no such file or directory (dangling link?))`,
  );
  expect(r.stderr).toContain(`warning: skipped ${path.join(tree, 'loop-a')} (symlink loop)`);
  expect(r.stderr).toContain(`warning: skipped ${path.join(tree, 'self')} (symlink loop: directory already scanned)`);
  expect(r.stderr).toMatch(/PARTIAL: 4 input\(s\) unreadable, 0 overlong line\(s\)/);
  // the readable file is still scanned in full
  const alone = scan(['--json', SUDO_LOG]);
  expect(alone.code).toBe(0);
  expect((JSON.parse(r.stdout) as unknown[]).length).toBe((JSON.parse(alone.stdout) as unknown[]).length);
});

test('a file read in chunks smaller than its lines gives the same events as a whole read', () => {
  const big = path.join(dir, 'many.log');
  const lines = fs.readFileSync(SUDO_LOG, 'utf8').split('\n').filter(Boolean);
  fs.writeFileSync(big, Array.from({ length: 50 }, () => lines.join('\n')).join('\n') + '\n');
  const whole = collectEvents([big]);
  const chunked = collectEvents([big], undefined, { chunkBytes: 7 });
  expect(chunked.events.length).toBe(50 * lines.length);
  expect(chunked.events.map((e) => e.fields._raw)).toEqual(whole.events.map((e) => e.fields._raw));
});

test('multi-byte UTF-8 split across chunks, CRLF kept for the reader, overlong lines dropped and counted', () => {
  const f = path.join(dir, 'utf8.log');
  fs.writeFileSync(f, 'é€😀\r\n' + 'x'.repeat(100) + '\nshort\nlast');
  const got: string[] = [];
  const fd = fs.openSync(f, 'r');
  const counts = forEachLine(fd, (l) => got.push(l), { chunkBytes: 3, maxLine: 50 });
  fs.closeSync(fd);
  expect(got).toEqual(['é€😀\r', 'short', 'last']);
  expect(counts.overlong).toBe(1);
});

test('150,000 builds print as a table without overflowing the stack', () => {
  const f = path.join(dir, 'builds.log');
  const line =
    '2026-11-27T23:22:04.839360+00:00 vm sudo:  labuser : PWD=/tmp ; USER=root ; COMMAND=/usr/bin/docker build /tmp/a';
  fs.writeFileSync(f, (line + '\n').repeat(150000));
  const r = scan([f]);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n').filter((l) => l.includes('docker build /tmp/a')).length).toBe(150000);
}, 180000);

test('rows group by t1612_incident when present, keep their order otherwise', () => {
  const row = (id: string, incident: string | undefined, risk: number, time: number): ScanRow => ({
    fields: incident === undefined ? { id } : { id, t1612_incident: incident },
    time,
    risk_score: risk,
    origin: id,
  });
  const plain = [row('a', undefined, 4, 2), row('b', undefined, 2, 1)];
  expect(groupByIncident(plain)).toBe(plain);
  const rows = [row('a', 'I1', 4, 5), row('b', 'I2', 4, 4), row('c', undefined, 3, 9), row('d', 'I1', 2, 1)];
  expect(groupByIncident(rows).map((r) => r.fields.id)).toEqual(['a', 'd', 'b', 'c']);
});
