/** `t1612 scan` through the built CLI (build/t1612.js), and its equality with the command on the same events. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { serializeRow } from '../../src/scp/csv';
import { collectEvents, joinParents } from '../../src/scan/scan';
import { execFile } from 'child_process';
import { ROOT } from '../helpers/scp';
import { runCommand } from '../telemetry/command-helpers';
import { labSteps, SAMPLES, sampleLines } from '../telemetry/samples';

const CLI = path.join(ROOT, 'build', 't1612.js');
const LAB = ['auditd_raw.log', 'auth_sudo.log', 'dockerd_debug.log'].map((f) => path.join(SAMPLES, 'lab', f));

/** Runs the built CLI; a hang is killed after 60 s (code null fails the test). */
function scan(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const opts = { encoding: 'utf8' as const, timeout: 60000, maxBuffer: 64 * 1024 * 1024 };
    execFile(process.execPath, [CLI, 'scan', ...args], opts, (err, stdout, stderr) => {
      if (typeof err?.code === 'string') return reject(new Error(`cannot start node: ${err.message}`));
      resolve({ code: err ? (err.code ?? null) : 0, stdout, stderr });
    });
  });
}

type Row = Record<string, string>;

describe('t1612 scan on the lab capture', () => {
  test('lists the lab builds with their real command lines, grouped per incident, sorted -risk_score, -_time', async () => {
    const r = await scan(['--json', ...LAB]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Row[];
    const cmds = new Set(rows.map((x) => x.CommandLine));
    const steps = labSteps();
    // The docker CLI part of each build step, exactly as typed (t5's `-H` form escapes the seed regex).
    for (const label of [
      't1_sudo_build_nocache',
      't2_dockerfile_in_tmp_ctx_home',
      't3_file_long_eq',
      't4_image_build',
      't6_stdin_dockerfile',
      't7_remote_context_url',
      't8_f_url',
      't9_buildx',
    ]) {
      const typed = /(docker (?:image |buildx )?build [^<&']*?)(?: <|'|$)/.exec(steps[label])![1].trim();
      expect({ label, found: cmds.has(typed) }).toEqual({ label, found: true });
    }
    // sudo's log line names the resolved binary
    expect(cmds.has('/usr/local/bin/docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612')).toBe(true);
    // One incident's rows stay together (each incident one contiguous run), best row first; incidents
    // and rows inside one are ordered -risk_score, -_time.
    const runs: Row[][] = [];
    for (const x of rows) {
      const last = runs[runs.length - 1];
      if (last && last[0].t1612_incident === x.t1612_incident && x.t1612_incident !== '') last.push(x);
      else runs.push([x]);
    }
    const keys = runs.map((g) => g[0].t1612_incident).filter((k) => k !== '');
    expect(new Set(keys).size).toBe(keys.length);
    expect(runs.length).toBeLessThan(rows.length);
    const ordered = (a: Row, b: Row) =>
      Number(a.risk_score) > Number(b.risk_score) || (a.risk_score === b.risk_score && a._time >= b._time);
    for (const g of runs) for (let i = 1; i < g.length; i++) expect(ordered(g[i - 1], g[i])).toBe(true);
    for (let i = 1; i < runs.length; i++) expect(ordered(runs[i - 1][0], runs[i][0])).toBe(true);
    // t8 (-f http://…) is the seed's CRITICAL case; t2's docker has the CWD and parent joined.
    expect(rows.find((x) => x.CommandLine.startsWith('docker build -f http://'))!.alert_detail).toBe(
      'CRITICAL: Dockerfile sourced from external URL',
    );
    const t1 = rows.find(
      (x) =>
        x.CommandLine === 'docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612' &&
        x.t1612_source === 'auditd:execve',
    )!;
    expect(t1.ParentCommandLine).toBe('sudo docker build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
    expect(t1.user).toBe('root');
    expect(t1.process_current_directory).toBe('/tmp');
    expect(r.stderr).toMatch(/\d+ file\(s\), \d+ lines, \d+ events .*\d+ builds.*\d+ skipped line\(s\)/);
  }, 60000);

  test('same results as | t1612score for the same events', async () => {
    const { events } = collectEvents(LAB);
    joinParents(events);
    const cmdRows = await runCommand(events.map((e) => e.fields));
    const key = (x: Row) =>
      [
        x.CommandLine,
        x.ParentCommandLine ?? '',
        x.user ?? '',
        x.from_temp,
        x.no_cache,
        x.external_file,
        x.suspicious_parent,
        x.risk_score,
        x.alert_detail,
      ].join('\u0001');
    const fromCommand = cmdRows
      .filter((x) => x.is_docker_build === '1')
      .map(key)
      .sort();
    const scanned = (JSON.parse((await scan(['--json', ...LAB])).stdout) as Row[]).map(key).sort();
    expect(fromCommand.length).toBeGreaterThan(20);
    expect(scanned).toEqual(fromCommand);
  }, 60000);

  test('--mode seed gives the seed literally (auditd blind, sudo by _raw)', async () => {
    const rows = JSON.parse((await scan(['--json', '--mode', 'seed', ...LAB])).stdout) as Row[];
    expect(rows.length).toBe(1);
    expect(rows[0].CommandLine).toBe(sampleLines('lab/auth_sudo.log').find((l) => l.includes('COMMAND=')));
  }, 60000);

  test('--min-score, --csv, --fail-on-alert', async () => {
    const all = JSON.parse((await scan(['--json', ...LAB])).stdout) as Row[];
    const high = JSON.parse((await scan(['--json', '--min-score', '4', ...LAB])).stdout) as Row[];
    expect(high.length).toBe(all.filter((x) => Number(x.risk_score) >= 4).length);
    expect(high.length).toBeGreaterThan(0);
    expect(high.length).toBeLessThan(all.length);
    const csv = await scan(['--csv', ...LAB]);
    expect(csv.stdout.split('\n')[0]).toBe(
      't1612_incident,_time,host,user,CommandLine,ParentCommandLine,from_temp,no_cache,external_file,suspicious_parent,risk_score,alert_detail',
    );
    expect((await scan(['--fail-on-alert', ...LAB])).code).toBe(1);
    // Real telemetry with no container activity at all (OTRF's dd capture).
    const quiet = await scan([
      '--fail-on-alert',
      path.join(SAMPLES, 'auditd-real', 'otrf_sh_binary_padding_dd_2020-11-10081941.log'),
    ]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('no docker build found');
  }, 60000);

  test('unreadable input: clear message, non-zero exit; bad option too', async () => {
    const r = await scan(['/nonexistent/t1612/audit.log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read /nonexistent/t1612/audit.log: no such file or directory');
    expect((await scan(['--min-score', 'x', ...LAB])).code).toBe(2);
  }, 60000);
});

describe('readers: ausearch -i, Sysmon XML document, JSON lines and CSV exported from Splunk', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 't1612-scan-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('ausearch -i gives the same builds as RAW', async () => {
    const raw = (JSON.parse((await scan(['--json', path.join(SAMPLES, 'lab', 'auditd_raw.log')])).stdout) as Row[])
      .map((x) => x.CommandLine + '|' + x.risk_score)
      .sort();
    const aus = (
      JSON.parse((await scan(['--json', path.join(SAMPLES, 'lab', 'auditd_ausearch_i.log')])).stdout) as Row[]
    )
      .map((x) => x.CommandLine + '|' + x.risk_score)
      .sort();
    expect(aus).toEqual(raw);
  }, 60000);

  test('Splunk exports (JSON lines with result/_raw, CSV) and an exported Sysmon XML document', async () => {
    const { events } = collectEvents([
      path.join(SAMPLES, 'lab', 'auditd_enriched.log'),
      path.join(SAMPLES, 'lab', 'auth_sudo.log'),
    ]);
    const jsonl = events
      .map((e) =>
        JSON.stringify({
          preview: false,
          result: {
            _raw: e.fields._raw,
            sourcetype: e.fields.sourcetype,
            _time: new Date(e.time * 1000).toISOString(),
            host: 'labvm',
          },
        }),
      )
      .join('\n');
    fs.writeFileSync(path.join(dir, 'export.json'), jsonl);
    const names = ['_time', '_raw', 'sourcetype', 'host'];
    fs.writeFileSync(
      path.join(dir, 'export.csv'),
      serializeRow(names) +
        events.map((e) => serializeRow([String(e.time), e.fields._raw, e.fields.sourcetype, 'labvm'])).join(''),
    );
    const xml = sampleLines('sysmon-linux/otrf_log4shell_sysmon_linux_eid1_3_11_EXTRACTED.xml');
    fs.writeFileSync(
      path.join(dir, 'sysmon.xml'),
      '<?xml version="1.0" encoding="utf-8"?>\n<Events>\n' + xml.join('\n') + '\n</Events>\n',
    );

    const j = JSON.parse((await scan(['--json', path.join(dir, 'export.json')])).stdout) as Row[];
    const c = JSON.parse((await scan(['--json', path.join(dir, 'export.csv')])).stdout) as Row[];
    expect(j.length).toBeGreaterThan(20);
    expect(j.every((x) => x.host === 'labvm')).toBe(true);
    expect(c.map((x) => x.CommandLine).sort()).toEqual(j.map((x) => x.CommandLine).sort());
    const s = await scan(['--json', path.join(dir, 'sysmon.xml')]);
    expect(s.stderr).toMatch(/ 41 events \(0 with nothing derived/);
  }, 60000);
});
