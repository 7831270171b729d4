/** Test helpers: drive a command process over SCP v2 the way splunkd does, and read its replies. */
import { spawn } from 'child_process';
import * as path from 'path';
import * as zlib from 'zlib';
import * as fs from 'fs';
import { encodeFrame, Frame, FrameParser } from '../../src/scp/frame';
import type { StreamedBody } from '../../src/scp/streamed-body';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BUNDLE = path.join(ROOT, 'bin', 't1612score.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  replies: Frame[];
  /** Bytes after the last complete reply frame (must be empty for a well-behaved command). */
  trailing: number;
}

/** Splits a byte stream into frames; returns the frames and how many bytes were left over. */
export function parseFrames(bytes: Buffer): { frames: Frame[]; trailing: number } {
  const parser = new FrameParser();
  parser.push(bytes);
  const frames: Frame[] = [];
  for (let f = parser.next(); f; f = parser.next()) frames.push(f);
  return { frames, trailing: parser.midFrame ? 1 : 0 };
}

export function readRecording(name: string): Buffer {
  return zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'scpv2', name)));
}

export function getinfoFrame(args: string[], extra: Record<string, unknown> = {}): Buffer {
  return encodeFrame({
    action: 'getinfo',
    preview: false,
    streaming_command_will_restart: false,
    searchinfo: {
      args,
      raw_args: args,
      dispatch_dir: '/opt/splunk/var/run/splunk/dispatch/1700000000.1',
      sid: '1700000000.1',
      app: 'search',
      owner: 'admin',
      username: 'admin',
      session_key: 'SECRET-SESSION-KEY-must-never-be-printed',
      splunkd_uri: 'https://127.0.0.1:8089',
      splunk_version: '9.3.1',
      search: 'search%20index%3Dmain%20%7C%20t1612score',
      command: 't1612score',
      maxresultrows: 50000,
      earliest_time: '0',
      latest_time: '0',
      ...extra,
    },
  });
}

export function executeFrame(body: string | Buffer, finished: boolean): Buffer {
  return encodeFrame({ action: 'execute', finished }, body);
}

/** Runs `argv` with `input` on stdin; kills it after timeoutMs (a hang fails the test). */
export function runProcess(
  argv: string[],
  input: Buffer | Buffer[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; closeStdin?: boolean } = {},
): Promise<RunResult> {
  const { timeoutMs = 30000, env = process.env, closeStdin = true } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not exit within ${timeoutMs} ms (hang)`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.stdin.on('error', () => undefined); // the command may exit before reading everything
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      const { frames, trailing } = parseFrames(stdout);
      resolve({ code, signal, stdout, stderr: err, replies: frames, trailing });
    });
    for (const part of Array.isArray(input) ? input : [input]) child.stdin.write(part);
    if (closeStdin) child.stdin.end();
  });
}

export function runBundle(input: Buffer | Buffer[], options?: Parameters<typeof runProcess>[2]): Promise<RunResult> {
  return runProcess([process.execPath, BUNDLE], input, options);
}

/** Splits a recorded splunkd stream into its frames (raw bytes of each), in order. */
export function splitRecording(stream: Buffer): { metadata: Record<string, unknown>; body: Buffer }[] {
  return parseFrames(stream).frames;
}

/** A streamed reply body as text; also checks that byteLength announced exactly the bytes written. */
export function streamedText(body: StreamedBody | string): string {
  if (typeof body === 'string') return body;
  const parts: Buffer[] = [];
  body.writeTo((b) => parts.push(Buffer.from(b)));
  const all = Buffer.concat(parts);
  expect(all.length).toBe(body.byteLength);
  if (body.writeVectorTo) {
    // the gathering write hands over the same bytes in other pieces
    const pieces: Buffer[] = [];
    body.writeVectorTo((ps) => ps.forEach((p) => pieces.push(Buffer.from(p))));
    expect(Buffer.concat(pieces).equals(all)).toBe(true);
  }
  return all.toString('utf8');
}
