/** Plays splunkd against an installed command: request frames from a recording, one reply per request. */
import { spawn } from 'child_process';
import * as path from 'path';

export const TIMEOUT_MS = 30_000;

export interface Reply {
  metadata: Record<string, unknown>;
  body: Buffer;
}

export function parseReplies(out: Buffer): Reply[] {
  const replies: Reply[] = [];
  let off = 0;
  while (off < out.length) {
    const lf = out.indexOf(0x0a, off);
    const m = /^chunked 1\.0,(\d+),(\d+)$/.exec(out.toString('latin1', off, lf));
    if (!m) throw new Error(`bad reply header at ${off}: ${JSON.stringify(out.toString('latin1', off, off + 40))}`);
    const ml = Number(m[1]);
    const bl = Number(m[2]);
    if (lf + 1 + ml + bl > out.length) throw new Error('reply truncated');
    replies.push({
      metadata: JSON.parse(out.toString('utf8', lf + 1, lf + 1 + ml)) as Record<string, unknown>,
      body: out.subarray(lf + 1 + ml, lf + 1 + ml + bl),
    });
    off = lf + 1 + ml + bl;
  }
  return replies;
}

/** Splits the recording into its request frames (raw bytes, header included). */
export function requestFrames(buf: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let off = 0;
  while (off < buf.length) {
    const lf = buf.indexOf(0x0a, off);
    const m = /^chunked 1\.0,(\d+),(\d+)$/.exec(buf.toString('latin1', off, lf))!;
    const end = lf + 1 + Number(m[1]) + Number(m[2]);
    frames.push(buf.subarray(off, end));
    off = end;
  }
  return frames;
}

export interface Exchange {
  status: number | null;
  stdout: Buffer;
  stderr: string;
  replies: Reply[];
  requestsSent: number;
}

/**
 * Plays splunkd: sends one request, waits for exactly one reply, then the next request; stops after an
 * ERROR reply (as splunkd abandons the command) and closes stdin at the end. Times out instead of hanging.
 */
export function driveExchange(file: string, env: Record<string, string>, frames: Buffer[]): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [], { env, cwd: path.dirname(file), stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`exchange timed out after ${TIMEOUT_MS} ms (stderr: ${stderr})`));
    }, TIMEOUT_MS);
    let out = Buffer.alloc(0);
    let stderr = '';
    let sent = 0;
    let stopped = false;
    child.stdin.on('error', () => undefined); // EPIPE after the command exits is the command's choice
    const sendNext = () => {
      if (sent < frames.length && !stopped) child.stdin.write(frames[sent++]);
      else child.stdin.end();
    };
    child.stdout.on('data', (d: Buffer) => {
      out = Buffer.concat([out, d]);
      let replies: Reply[];
      try {
        replies = parseReplies(out);
      } catch {
        return; // reply not complete yet
      }
      if (replies.length > sent) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${replies.length} replies for ${sent} requests`));
        return;
      }
      if (replies.length === sent) {
        const last = replies[replies.length - 1];
        const inspector = last.metadata.inspector as { messages?: [string, string][] } | undefined;
        if (inspector?.messages?.some((m) => m[0] === 'ERROR')) stopped = true;
        sendNext();
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: out, stderr, replies: parseReplies(out), requestsSent: sent });
    });
    sendNext();
  });
}
