/**
 * `npm run bench`: speed and memory of `| t1612score` against the true floor, a bare synchronous frame
 * echo (build/bench-echo.js), run side by side and alternating in the same invocation, on two streams:
 * `mixed` (Sysmon XML / auditd / syslog, ~1% builds, the rest other programs) and `evidence` (every
 * event a Sysmon for Linux exec of /usr/bin/docker: what the shipped alert's base search sends), with
 * stdin from a file and through a pipe. Reports wall and CPU time (medians, min–max), ratios of medians
 * to the floor, peak RSS, start-up vs `node -e 0`, a soak (RSS flat), the equivalence of the command's
 * real reply with the reference codec, and writes bench-results/bench.json. docs/performance.md explains.
 * Options: --rounds N (5), --soak-chunks N (20), --streams mixed,evidence[,evidence-fields],
 * --inputs file,pipe, --events N (50000 per chunk), --quick; --write-streams DIR writes the streams
 * (<name>.scp, <name>-seed.scp: getinfo + execute frames) for profiling and exits.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { encodeFrame } from '../scp/frame';
import { getinfo, makeChunkBody, makeEvidenceChunkBody, StreamSpec } from '../bench/stream';
import {
  InputMode,
  median,
  replyPath,
  RunStats,
  runProcess,
  runSoak,
  tempPath,
  timeToExit,
  timeToGetinfo,
} from '../bench/run';
import { checkEquivalence, Equivalence } from '../bench/equivalence';

const ROOT = path.resolve(__dirname, '..');
const NODE = process.execPath;
const COMMAND = path.join(ROOT, 'bin', 't1612score.js');
const USAGE = path.join(ROOT, 'build', 'bench-usage.js');

function opt(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const ROUNDS = Number(opt('--rounds') ?? (quick ? 1 : 5));
const SOAK = Number(opt('--soak-chunks') ?? (quick ? 4 : 20));
const EVENTS = Number(opt('--events') ?? 50000);
const STREAMS = (opt('--streams') ?? 'mixed,evidence').split(',');
const INPUTS = (opt('--inputs') ?? 'file,pipe').split(',') as InputMode[];

interface Variant {
  name: string;
  script: string[];
  seed: boolean;
  fileOnly?: boolean;
}
const VARIANTS: Variant[] = [
  { name: 'floor: bare frame echo', script: [path.join(ROOT, 'build', 'bench-echo.js')], seed: false },
  {
    name: 'csv passthrough (engine only)',
    script: [path.join(ROOT, 'build', 'bench-passthrough.js')],
    seed: false,
    fileOnly: true,
  },
  { name: 't1612score mode=seed', script: [COMMAND], seed: true },
  { name: 't1612score default', script: [COMMAND], seed: false },
];

interface Stream {
  name: string;
  bodies: Buffer[];
  events: number;
  inBytes: number;
  largestChunk: number;
  files: { default: string; seed: string };
}

function makeStream(name: string, dir?: string): Stream {
  const spec: StreamSpec = { chunks: 2, eventsPerChunk: EVENTS, buildRate: 0.01 };
  const make = (i: number) =>
    name === 'mixed'
      ? makeChunkBody(spec, i)
      : name === 'evidence'
        ? makeEvidenceChunkBody(spec, i)
        : makeEvidenceChunkBody(spec, i, true);
  if (!['mixed', 'evidence', 'evidence-fields'].includes(name)) throw new Error(`unknown stream ${name}`);
  const bodies = [0, 1].map((i) => Buffer.from(make(i), 'utf8'));
  const executes = bodies.map((b, i) => encodeFrame({ action: 'execute', finished: i === bodies.length - 1 }, b));
  const files =
    dir === undefined
      ? { default: tempPath(`${name}.scp`), seed: tempPath(`${name}-seed.scp`) }
      : { default: path.join(dir, `${name}.scp`), seed: path.join(dir, `${name}-seed.scp`) };
  for (const [file, args] of [
    [files.default, []],
    [files.seed, ['mode=seed']],
  ] as const) {
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, getinfo([...args]));
    for (const e of executes) fs.writeSync(fd, e);
    fs.closeSync(fd);
  }
  return {
    name,
    bodies,
    events: bodies.length * EVENTS,
    inBytes: executes.reduce((n, e) => n + e.length, 0),
    largestChunk: Math.max(...executes.map((e) => e.length)),
    files,
  };
}

const mb = (n: number) => n / 1048576;
const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');

interface Row {
  stream: string;
  input: InputMode;
  variant: string;
  runs: RunStats[];
  wallMs: number;
  cpuMs: number;
  wallRatio: number;
  cpuRatio: number;
  peakRssMB: number;
  /** CPU time per event above the floor's. */
  usPerEventOverFloor: number;
}

async function measure(streams: Stream[]): Promise<{ rows: Row[]; equivalence: Record<string, Equivalence> }> {
  const runs = new Map<string, RunStats[]>();
  const key = (s: string, i: string, v: string) => `${s}\u0000${i}\u0000${v}`;
  const equivalence: Record<string, Equivalence> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of streams)
      for (const input of INPUTS)
        for (const v of VARIANTS) {
          if (v.fileOnly && input !== 'file') continue;
          const checkNow = round === 0 && input === 'file' && v.script[0] === COMMAND;
          const keep = checkNow ? replyPath('reply.out') : undefined;
          const r = await runProcess(NODE, USAGE, v.script, v.seed ? s.files.seed : s.files.default, input, keep);
          if (r.code !== 0) throw new Error(`${v.name} on ${s.name} (${input}) exited with ${r.code}`);
          const k = key(s.name, input, v.name);
          runs.set(k, [...(runs.get(k) ?? []), r]);
          if (keep !== undefined) {
            equivalence[`${s.name} ${v.name}`] = checkEquivalence(keep, s.bodies, v.seed ? ['mode=seed'] : []);
            fs.rmSync(keep, { force: true });
          }
        }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const rows: Row[] = [];
  for (const s of streams)
    for (const input of INPUTS) {
      const floor = runs.get(key(s.name, input, VARIANTS[0].name))!;
      const floorWall = median(floor.map((r) => r.wallMs));
      const floorCpu = median(floor.map((r) => r.cpuMs));
      for (const v of VARIANTS) {
        const rs = runs.get(key(s.name, input, v.name));
        if (!rs) continue;
        const wallMs = median(rs.map((r) => r.wallMs));
        const cpuMs = median(rs.map((r) => r.cpuMs));
        rows.push({
          stream: s.name,
          input,
          variant: v.name,
          runs: rs,
          wallMs,
          cpuMs,
          wallRatio: wallMs / floorWall,
          cpuRatio: cpuMs / floorCpu,
          peakRssMB: mb(Math.max(...rs.map((r) => r.peakRssBytes))),
          usPerEventOverFloor: ((cpuMs - floorCpu) * 1000) / s.events,
        });
      }
    }
  return { rows, equivalence };
}

function printTable(streams: Stream[], rows: Row[]): void {
  for (const s of streams) {
    console.log(
      `\n## ${s.name}: ${s.events} events in ${s.bodies.length} chunks, ${fmt(mb(s.inBytes), 1)} MB (${fmt(s.inBytes / s.events, 0)} bytes/event), medians of ${ROUNDS}`,
    );
    console.log(
      '| run | stdin | wall ms (min–max) | × floor | CPU ms (min–max) | × floor CPU | µs/event CPU over floor | peak RSS MB |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const r of rows.filter((x) => x.stream === s.name)) {
      const w = r.runs.map((x) => x.wallMs);
      const c = r.runs.map((x) => x.cpuMs);
      console.log(
        `| ${r.variant} | ${r.input} | ${fmt(r.wallMs, 0)} (${fmt(Math.min(...w), 0)}–${fmt(Math.max(...w), 0)}) | ${fmt(r.wallRatio)} | ${fmt(r.cpuMs, 0)} (${fmt(Math.min(...c), 0)}–${fmt(Math.max(...c), 0)}) | ${fmt(r.cpuRatio)} | ${fmt(r.usPerEventOverFloor, 1)} | ${fmt(r.peakRssMB, 0)} |`,
      );
    }
  }
}

async function main() {
  const dir = opt('--write-streams');
  if (dir !== undefined) {
    fs.mkdirSync(dir, { recursive: true });
    for (const s of STREAMS) for (const f of Object.values(makeStream(s, dir).files)) console.log(`wrote ${f}`);
    return;
  }
  const load0 = os.loadavg();
  console.log(
    `t1612score benchmark — node ${process.version}, ${process.platform}/${process.arch}, ${os.cpus().length} CPUs, load ${load0.map((l) => l.toFixed(2)).join(' ')}, rounds=${ROUNDS}`,
  );
  const streams = STREAMS.map((s) => makeStream(s));
  try {
    const { rows, equivalence } = await measure(streams);
    printTable(streams, rows);

    console.log('\n## Equivalence: the command’s reply vs the reference codec (first chunk, field by field)');
    for (const [k, e] of Object.entries(equivalence))
      console.log(
        `- ${k}: ${e.rows} rows, ${e.fields} fields compared, ${e.mismatches} mismatches${e.first ? ` (${e.first})` : ''}`,
      );

    // Start-up: spawn → complete getinfo reply, against spawn → exit of `node -e 0`.
    const startRounds = quick ? 5 : 15;
    const tNode: number[] = [];
    const tCmd: number[] = [];
    for (let i = 0; i < startRounds; i++) {
      tNode.push(await timeToExit([NODE, '-e', '0']));
      tCmd.push(await timeToGetinfo([NODE, COMMAND], getinfo([])));
    }
    const startup = { nodeE0Ms: median(tNode), getinfoMs: median(tCmd), ratio: median(tCmd) / median(tNode) };
    console.log(
      `\n## Start-up (${startRounds} rounds, medians): node -e 0 ${fmt(startup.nodeE0Ms, 1)} ms; t1612score to getinfo reply ${fmt(startup.getinfoMs, 1)} ms; ratio ${fmt(startup.ratio)}`,
    );

    // Soak: the production-like stream's chunks repeated; RSS as each reply arrives.
    const soakStream = streams.find((s) => s.name !== 'mixed') ?? streams[0];
    const soakFrames = [
      getinfo([]),
      ...Array.from({ length: SOAK }, (_, i) =>
        encodeFrame({ action: 'execute', finished: i === SOAK - 1 }, soakStream.bodies[i % soakStream.bodies.length]),
      ),
    ];
    const soak = await runSoak([NODE, COMMAND], soakFrames);
    const alive = soak.rssAtReply.filter((x) => x > 0);
    const soakRes = {
      stream: soakStream.name,
      chunks: SOAK,
      replies: soak.replies,
      firstChunkRssMB: mb(alive[0] ?? 0),
      lastChunkRssMB: mb(alive[alive.length - 1] ?? 0),
      maxFirstHalfMB: mb(Math.max(0, ...alive.slice(0, alive.length >> 1))),
      maxSecondHalfMB: mb(Math.max(0, ...alive.slice(alive.length >> 1))),
      peakRssMB: mb(soak.peakRssBytes),
    };
    console.log(
      `\n## Soak: ${SOAK} x ${EVENTS} events (${soakStream.name}), default mode: RSS after chunk 1 ${fmt(soakRes.firstChunkRssMB, 0)} MB, after chunk ${alive.length} ${fmt(soakRes.lastChunkRssMB, 0)} MB, max over chunks 1–${alive.length >> 1} ${fmt(soakRes.maxFirstHalfMB, 0)} MB and over the rest ${fmt(soakRes.maxSecondHalfMB, 0)} MB, peak ${fmt(soakRes.peakRssMB, 0)} MB, replies ${soak.replies}/${SOAK + 1}`,
    );

    const find = (stream: string, variant: string) =>
      rows.find((r) => r.stream === stream && r.input === 'file' && r.variant.endsWith(variant));
    const targets: { target: string; value: number; ok: boolean }[] = [];
    const ratio = (stream: string, variant: string, limit: number) => {
      const r = find(stream, variant);
      if (r)
        targets.push({
          target: `${stream} ${variant} <= ${limit}x floor (wall, stdin file)`,
          value: r.wallRatio,
          ok: r.wallRatio <= limit,
        });
    };
    ratio('mixed', 'default', 1.5);
    ratio('mixed', 'mode=seed', 1.3);
    ratio('evidence', 'default', 2.5);
    for (const s of streams) {
      const limit = 3 * mb(s.largestChunk) + 60;
      const peak = Math.max(
        ...rows.filter((r) => r.stream === s.name && r.variant.startsWith('t1612score')).map((r) => r.peakRssMB),
      );
      targets.push({
        target: `${s.name}: peak RSS <= 3x chunk + 60 MB (${fmt(limit, 0)} MB)`,
        value: peak,
        ok: peak <= limit,
      });
    }
    // RSS after a reply depends on when the GC last ran: compare the highest sample of each half (a leak grows it).
    targets.push({
      target: 'soak: RSS flat (max over the second half <= max over the first half x 1.1 + 10 MB)',
      value: soakRes.maxSecondHalfMB,
      ok: soakRes.replies === SOAK + 1 && soakRes.maxSecondHalfMB <= soakRes.maxFirstHalfMB * 1.1 + 10,
    });
    targets.push({
      target: 'start to getinfo reply <= 1.2x node -e 0',
      value: startup.ratio,
      ok: startup.ratio <= 1.2,
    });
    const equivalent = Object.values(equivalence).every((e) => e.mismatches === 0 && e.rows > 0);
    targets.push({
      target: 'reply == reference codec, field by field',
      value: Object.keys(equivalence).length,
      ok: equivalent,
    });
    console.log('\n## Targets');
    console.log('| target | measured | met |');
    console.log('|---|---:|---|');
    for (const t of targets) console.log(`| ${t.target} | ${fmt(t.value)} | ${t.ok ? 'yes' : 'NO'} |`);
    const load1 = os.loadavg();
    console.log(
      `\nload average at start ${load0.map((l) => l.toFixed(2)).join(' ')}, at end ${load1.map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs): with other work running, compare ratios and CPU times, not wall times across runs`,
    );

    const outDir = path.join(ROOT, 'bench-results');
    fs.mkdirSync(outDir, { recursive: true });
    const json = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      load: { start: load0, end: load1 },
      rounds: ROUNDS,
      streams: streams.map((s) => ({
        name: s.name,
        events: s.events,
        inBytes: s.inBytes,
        largestChunk: s.largestChunk,
      })),
      rows: rows.map(({ runs, ...r }) => ({
        ...r,
        wallMsAll: runs.map((x) => x.wallMs),
        cpuMsAll: runs.map((x) => x.cpuMs),
      })),
      equivalence,
      startup,
      soak: soakRes,
      targets,
    };
    fs.writeFileSync(path.join(outDir, 'bench.json'), JSON.stringify(json, null, 2));
    console.log(`\nwrote ${path.relative(process.cwd(), path.join(outDir, 'bench.json'))}`);
    if (!equivalent) process.exitCode = 1;
  } finally {
    for (const s of streams) for (const f of Object.values(s.files)) fs.rmSync(f, { force: true });
  }
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
