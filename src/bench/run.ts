/** Runs one command process over an in-memory SCP v2 stream and measures it. */
import { spawn } from 'child_process';
import * as fs from 'fs';
import { FrameParser } from '../scp/frame';

export interface RunStats {
  wallMs: number;
  peakRssBytes: number;
  replies: number;
  outBytes: number;
  /** VmRSS sampled when each execute reply completed (soak). */
  rssAtReply: number[];
  code: number | null;
}

function readProcKb(pid: number, key: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function runCommand(
  argv: string[],
  frames: Buffer[],
  opts: { sampleRssPerReply?: boolean } = {},
): Promise<RunStats> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
    const pid = child.pid!;
    let peak = 0;
    const poll = setInterval(() => {
      peak = Math.max(peak, readProcKb(pid, 'VmHWM'));
    }, 5);
    const parser = new FrameParser();
    let replies = 0;
    let outBytes = 0;
    const rssAtReply: number[] = [];
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      peak = Math.max(peak, readProcKb(pid, 'VmHWM'));
      if (opts.sampleRssPerReply) {
        parser.push(d);
        for (let f = parser.next(); f; f = parser.next()) {
          replies++;
          if (f.metadata.finished !== undefined) rssAtReply.push(readProcKb(pid, 'VmRSS'));
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      resolve({ wallMs, peakRssBytes: peak, replies, outBytes, rssAtReply, code });
    });
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
