/**
 * `npm run bench`: speed and memory of `| t1612score`, as ratios against baselines run side by side,
 * alternating, in the same invocation: (a) frame echo = Node's I/O floor, (b) CSV passthrough with our
 * codec, (c) mode=seed, (d) default mode. Also the real sum.map chunk, start-up to getinfo reply vs
 * `node -e 0`, and a soak of 20 x 50,000 events. Writes bench-results/bench.json.
 * Options: --rounds N (default 5), --chunks N (default 2), --soak-chunks N (default 20), --quick.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { encodeFrame, FrameParser } from '../scp/frame';
import { getinfo, makeChunkBody } from '../bench/stream';
import { median, runCommand, RunStats, timeToExit, timeToGetinfo } from '../bench/run';

const ROOT = path.resolve(__dirname, '..');
const NODE = process.execPath;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const quick = process.argv.includes('--quick');
const ROUNDS = arg('--rounds', quick ? 2 : 5);
const CHUNKS = arg('--chunks', 2);
const SOAK = arg('--soak-chunks', quick ? 4 : 20);
const EVENTS = 50000;

interface Variant {
  name: string;
  argv: string[];
  args: string[];
}
const VARIANTS: Variant[] = [
  { name: '(a) frame echo', argv: [NODE, path.join(ROOT, 'build', 'bench-echo.js')], args: [] },
  { name: '(b) csv passthrough, fast path', argv: [NODE, path.join(ROOT, 'build', 'bench-passthrough.js')], args: [] },
  {
    name: "(b') csv passthrough, full codec",
    argv: [NODE, path.join(ROOT, 'build', 'bench-passthrough.js'), '--full'],
    args: [],
  },
  { name: '(c) t1612score mode=seed', argv: [NODE, path.join(ROOT, 'bin', 't1612score.js')], args: ['mode=seed'] },
  { name: '(d) t1612score default', argv: [NODE, path.join(ROOT, 'bin', 't1612score.js')], args: [] },
];

function sumMapFrames(): Buffer[] | null {
  const file = path.join(ROOT, 'test', 'fixtures', 'scpv2', 'sum.map.input.gz');
  if (!fs.existsSync(file)) return null;
  const parser = new FrameParser();
  parser.push(zlib.gunzipSync(fs.readFileSync(file)));
  const out: Buffer[] = [];
  for (let f = parser.next(); f; f = parser.next())
    if (f.metadata.action === 'execute') out.push(encodeFrame(f.metadata, f.body));
  return out;
}

const mb = (n: number) => n / 1048576;
const fmt = (n: number, d = 2) => n.toFixed(d);

async function measure(label: string, executes: Buffer[], events: number, inBytes: number) {
  const stats = new Map<string, RunStats[]>(VARIANTS.map((v) => [v.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of VARIANTS) {
      const s = await runCommand(v.argv, [getinfo(v.args), ...executes]);
      if (s.code !== 0) throw new Error(`${v.name} exited with ${s.code}`);
      stats.get(v.name)!.push(s);
    }
  }
  const floor = median(stats.get(VARIANTS[0].name)!.map((s) => s.wallMs));
  const rows = VARIANTS.map((v) => {
    const runs = stats.get(v.name)!;
    const wall = median(runs.map((s) => s.wallMs));
    return {
      variant: v.name,
      wallMs: wall,
      eventsPerSec: events / (wall / 1000),
      mbPerSec: mb(inBytes) / (wall / 1000),
      ratioToEcho: wall / floor,
      peakRssMB: mb(Math.max(...runs.map((s) => s.peakRssBytes))),
      outMB: mb(runs[0].outBytes),
    };
  });
  console.log(`\n## ${label}: ${events} events, ${fmt(mb(inBytes), 1)} MB in, ${ROUNDS} rounds (medians)`);
  console.log('| run | wall ms | events/s | MB/s | x echo | peak RSS MB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.variant} | ${fmt(r.wallMs, 0)} | ${fmt(r.eventsPerSec, 0)} | ${fmt(r.mbPerSec, 1)} | ${fmt(r.ratioToEcho)} | ${fmt(r.peakRssMB, 0)} |`,
    );
  return rows;
}

async function main() {
  console.log(`t1612score benchmark — node ${process.version}, ${process.platform}/${process.arch}, rounds=${ROUNDS}`);
  const bodies = Array.from({ length: CHUNKS }, (_, i) =>
    makeChunkBody({ chunks: CHUNKS, eventsPerChunk: EVENTS, buildRate: 0.01 }, i),
  );
  const executes = bodies.map((b, i) => encodeFrame({ action: 'execute', finished: i === bodies.length - 1 }, b));
  const largestChunk = Math.max(...executes.map((e) => e.length));
  const inBytes = executes.reduce((n, e) => n + e.length, 0);
  console.log(
    `realistic stream: ${CHUNKS} chunks x ${EVENTS} events, ${fmt(inBytes / (CHUNKS * EVENTS), 0)} bytes/event on average, largest chunk ${fmt(mb(largestChunk), 1)} MB`,
  );

  const realistic = await measure(
    'Realistic mix (Sysmon XML / auditd / syslog, ~1% builds)',
    executes,
    CHUNKS * EVENTS,
    inBytes,
  );
  const sumMap = sumMapFrames();
  const sum = sumMap
    ? await measure(
        'Real splunkd chunk: sum.map.input.gz (Splunk 6.3, 50,000 rows x 48 columns)',
        sumMap,
        50000,
        sumMap.reduce((n, e) => n + e.length, 0),
      )
    : null;

  // Start-up: spawn → complete getinfo reply, against spawn → exit of `node -e 0`.
  const startRounds = quick ? 5 : 15;
  const tNode: number[] = [];
  const tCmd: number[] = [];
  for (let i = 0; i < startRounds; i++) {
    tNode.push(await timeToExit([NODE, '-e', '0']));
    tCmd.push(await timeToGetinfo([NODE, path.join(ROOT, 'bin', 't1612score.js')], getinfo([])));
  }
  const startup = { nodeE0Ms: median(tNode), getinfoMs: median(tCmd), ratio: median(tCmd) / median(tNode) };
  console.log(
    `\n## Start-up (${startRounds} rounds, medians): node -e 0 ${fmt(startup.nodeE0Ms, 1)} ms; t1612score to getinfo reply ${fmt(startup.getinfoMs, 1)} ms; ratio ${fmt(startup.ratio)}`,
  );

  // Soak: the same chunks repeated; RSS after the first and the last reply.
  const soakFrames = [
    getinfo([]),
    ...Array.from({ length: SOAK }, (_, i) =>
      encodeFrame({ action: 'execute', finished: i === SOAK - 1 }, bodies[i % bodies.length]),
    ),
  ];
  const soak = await runCommand([NODE, path.join(ROOT, 'bin', 't1612score.js')], soakFrames, {
    sampleRssPerReply: true,
  });
  // The last reply can race the process exit (no /proc entry left): use the last sample taken alive.
  const alive = soak.rssAtReply.filter((x) => x > 0);
  const soakRes = {
    chunks: SOAK,
    samples: alive.length,
    firstChunkRssMB: mb(alive[0] ?? 0),
    lastChunkRssMB: mb(alive[alive.length - 1] ?? 0),
    peakRssMB: mb(soak.peakRssBytes),
    replies: soak.replies,
  };
  console.log(
    `\n## Soak: ${SOAK} x ${EVENTS} events through the default mode: RSS after chunk 1 ${fmt(soakRes.firstChunkRssMB, 0)} MB, after chunk ${soakRes.samples} ${fmt(soakRes.lastChunkRssMB, 0)} MB, peak ${fmt(soakRes.peakRssMB, 0)} MB, replies ${soak.replies}`,
  );

  const rssLimitMB = 3 * mb(largestChunk) + 60;
  const seed = realistic.find((r) => r.variant.includes('mode=seed'))!;
  const dflt = realistic.find((r) => r.variant.includes('default'))!;
  const targets = [
    { target: 'default mode <= 1.5x frame echo', value: dflt.ratioToEcho, ok: dflt.ratioToEcho <= 1.5 },
    { target: 'mode=seed <= 1.3x frame echo', value: seed.ratioToEcho, ok: seed.ratioToEcho <= 1.3 },
    {
      target: `peak RSS <= 3x largest chunk + 60 MB (${fmt(rssLimitMB, 0)} MB)`,
      value: Math.max(dflt.peakRssMB, seed.peakRssMB, soakRes.peakRssMB),
      ok: Math.max(dflt.peakRssMB, seed.peakRssMB, soakRes.peakRssMB) <= rssLimitMB,
    },
    {
      target: 'RSS flat across the soak (last <= first x 1.1 + 10 MB)',
      value: soakRes.lastChunkRssMB,
      ok: soakRes.lastChunkRssMB <= soakRes.firstChunkRssMB * 1.1 + 10,
    },
    { target: 'start to getinfo reply <= 1.2x node -e 0', value: startup.ratio, ok: startup.ratio <= 1.2 },
    {
      target: 'default mode <= 2x mode=seed',
      value: dflt.wallMs / seed.wallMs,
      ok: dflt.wallMs / seed.wallMs <= 2,
    },
  ];
  console.log('\n## Targets');
  console.log('| target | measured | met |');
  console.log('|---|---:|---|');
  for (const t of targets) console.log(`| ${t.target} | ${fmt(t.value)} | ${t.ok ? 'yes' : 'NO'} |`);

  const outDir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    path.join(outDir, 'bench.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        rounds: ROUNDS,
        realistic,
        sumMap: sum,
        startup,
        soak: soakRes,
        targets,
      },
      null,
      2,
    ),
  );
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(outDir, 'bench.json'))}`);
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
});
