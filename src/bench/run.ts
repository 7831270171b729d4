/**
 * Runs one benchmarked process and measures it: wall time (spawn → exit, seen from here), its own CPU
 * time and peak RSS (process.resourceUsage, written at exit by build/bench-usage.js preloaded into it).
 * Input: stdin from a file (reply written to a file), or through pipes (`cat file | cmd | cat`), so the
 * harness never sits between the bytes and the process (a Node harness feeding stdin halves the floor).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FrameParser } from '../scp/frame';

export type InputMode = 'file' | 'pipe';

export interface RunStats {
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
  code: number | null;
}

let seq = 0;
export function tempPath(name: string, dir = os.tmpdir()): string {
  return path.join(dir, `t1612-bench-${process.pid}-${seq++}-${name}`);
}

/**
 * Replies in file mode go to memory (tmpfs) when there is one: written to a disk-backed file, the
 * floor's time was bimodal (~150 or ~450 ms for the same 185 MB, dirty-page writeback throttling) and
 * often slower than the command's own, which made the ratios meaningless.
 */
const REPLY_DIR = (() => {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
})();
export const replyPath = (name: string) => tempPath(name, REPLY_DIR);

function readUsage(file: string): { cpuMs: number; peakRssBytes: number } {
  try {
    const u = JSON.parse(fs.readFileSync(file, 'utf8')) as { userUs: number; systemUs: number; maxRssKb: number };
    return { cpuMs: (u.userUs + u.systemUs) / 1000, peakRssBytes: u.maxRssKb * 1024 };
  } catch {
    return { cpuMs: NaN, peakRssBytes: NaN };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Runs `node -r usage <script> …` over `inputFile`. In file mode the reply goes to `outFile` (kept for
 * the caller) or to a temporary file removed afterwards; in pipe mode it is drained by `cat`.
 */
export function runProcess(
  node: string,
  usageScript: string,
  script: string[],
  inputFile: string,
  mode: InputMode,
  outFile?: string,
): Promise<RunStats> {
  const usage = tempPath('usage.json');
  const env = { ...process.env, T1612_BENCH_USAGE: usage };
  const argv = [node, '-r', usageScript, ...script];
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const out = mode === 'file' ? (outFile ?? replyPath('reply.out')) : undefined;
  // Through sh in both modes, never exec'ed by it: a process forked straight from this (large) harness
  // reports the harness's RSS as its own peak (ru_maxrss survives exec).
  const shell =
    mode === 'file' ? `${quoted} < "$0" > "$1"; exit $?` : `cat "$0" | ${quoted} | cat > /dev/null; exit $?`;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('sh', ['-c', shell, inputFile, out ?? ''], { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (out !== undefined && outFile === undefined) fs.rmSync(out, { force: true });
      resolve({ wallMs, ...readUsage(usage), code });
    });
  });
}

function readProcKb(pid: number, key: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface SoakStats {
  replies: number;
  /** VmRSS when each execute reply had been read (the last may be 0: process already gone). */
  rssAtReply: number[];
  peakRssBytes: number;
  code: number | null;
}

/** Soak: frames written from memory (the same chunks many times), RSS sampled as each reply arrives. */
export function runSoak(argv: string[], frames: Buffer[]): Promise<SoakStats> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
    const pid = child.pid!;
    let peak = 0;
    const parser = new FrameParser();
    let replies = 0;
    const rssAtReply: number[] = [];
    child.stdout.on('data', (d: Buffer) => {
      peak = Math.max(peak, readProcKb(pid, 'VmHWM'));
      parser.push(d);
      for (let f = parser.next(); f; f = parser.next()) {
        replies++;
        if (f.metadata.finished !== undefined) rssAtReply.push(readProcKb(pid, 'VmRSS'));
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ replies, rssAtReply, peakRssBytes: peak, code }));
    child.stdin.on('error', () => undefined);
    (async () => {
      for (const f of frames) {
        if (!child.stdin.write(f)) await new Promise((r) => child.stdin.once('drain', r));
      }
      child.stdin.end();
    })().catch(reject);
  });
}

/** Milliseconds from spawn to the complete getinfo reply. */
export function timeToGetinfo(argv: string[], getinfo: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
    const parser = new FrameParser();
    let done = false;
    child.stdout.on('data', (d: Buffer) => {
      parser.push(d);
      if (!done && parser.next()) {
        done = true;
        resolve(Number(process.hrtime.bigint() - start) / 1e6);
        child.stdin.end();
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      if (!done) reject(new Error(`${argv.join(' ')} exited before its getinfo reply`));
    });
    child.stdin.write(getinfo);
  });
}

export function timeToExit(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
