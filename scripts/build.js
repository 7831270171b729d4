#!/usr/bin/env node
/**
 * The one build: the command bundle (bin/t1612score.js) and the CLI tools (build/*.js) from src/, with esbuild.
 *
 *   node scripts/build.js [command|tools]... [--if-stale] [--root <dir>]
 *
 * Each target records what it was built from (a SHA-256 of every input esbuild read, the esbuild version and
 * the options) in build/.stamp.json. `--if-stale` rebuilds a target only when that record no longer matches
 * the sources on disk, so `npm test` (which packages first) and jest's global setup build once between them,
 * and a single jest suite run after an edit in src/ still runs today's code. Outputs are replaced by rename,
 * so a process already executing the old bundle is never handed a half-written file.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

function parseArgs(argv) {
  const args = { targets: [], ifStale: false, root: path.resolve(__dirname, '..') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--if-stale') args.ifStale = true;
    else if (a === '--root') args.root = path.resolve(argv[++i]);
    else if (a === 'command' || a === 'tools') args.targets.push(a);
    else throw new Error(`build: unknown argument ${a} (command, tools, --if-stale, --root <dir>)`);
  }
  if (args.targets.length === 0) args.targets = ['command', 'tools'];
  return args;
}

/** esbuild options per target; paths relative to the project root. */
function targetOptions(root) {
  const common = { bundle: true, platform: 'node', target: 'node18', logLevel: 'warning' };
  const tools = fs
    .readdirSync(path.join(root, 'src', 'tools'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => `src/tools/${f}`);
  return {
    command: {
      ...common,
      entryPoints: ['src/command/t1612score.ts'],
      legalComments: 'none',
      outfile: 'bin/t1612score.js',
    },
    tools: { ...common, entryPoints: tools, outdir: 'build', packages: 'external' },
  };
}

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

function readStamp(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

/** True when every input and output recorded for this target still has the recorded content. */
function isFresh(root, record, options) {
  if (!record || record.esbuild !== esbuild.version || record.options !== JSON.stringify(options)) return false;
  for (const [rel, hash] of Object.entries({ ...record.inputs, ...record.outputs })) {
    const file = path.join(root, rel);
    if (!fs.existsSync(file) || sha256(fs.readFileSync(file)) !== hash) return false;
  }
  return true;
}

function writeAtomically(file, data) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

async function buildTarget(root, options) {
  const result = await esbuild.build({ ...options, absWorkingDir: root, metafile: true, write: false });
  const inputs = {};
  for (const rel of Object.keys(result.metafile.inputs)) inputs[rel] = sha256(fs.readFileSync(path.join(root, rel)));
  const outputs = {};
  for (const out of result.outputFiles) {
    writeAtomically(out.path, out.contents);
    outputs[path.relative(root, out.path)] = sha256(out.contents);
  }
  return { esbuild: esbuild.version, options: JSON.stringify(options), inputs, outputs };
}

async function main() {
  const { targets, ifStale, root } = parseArgs(process.argv.slice(2));
  const stampFile = path.join(root, 'build', '.stamp.json');
  const stamp = readStamp(stampFile);
  const all = targetOptions(root);
  const built = [];
  for (const name of targets) {
    if (ifStale && isFresh(root, stamp[name], all[name])) continue;
    stamp[name] = await buildTarget(root, all[name]);
    built.push(name);
  }
  if (built.length > 0) writeAtomically(stampFile, JSON.stringify(stamp, null, 1));
  process.stderr.write(`build: ${built.length > 0 ? `built ${built.join(', ')}` : 'up to date'}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
