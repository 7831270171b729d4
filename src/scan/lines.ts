/**
 * Streams a file's lines without ever holding the whole file: fixed-size readSync chunks, UTF-8 decoded
 * across chunk boundaries, split at LF (a trailing CR stays on the line). A line longer than `maxLine`
 * characters is dropped and counted (`overlong`) instead of growing one huge string.
 */
import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import { STEPS } from '../steps';

export interface LineReaderOptions {
  /** Bytes per read (default 1 MiB). */
  chunkBytes?: number;
  /** Longest line kept, in characters (default 16 MiB). */
  maxLine?: number;
}

export interface LineCounts {
  /** Lines dropped for being longer than maxLine. */
  overlong: number;
}

export const DEFAULT_MAX_LINE = 16 * 1024 * 1024;

/** Calls `onLine` for each line of the open file `fd`, in order. */
export function forEachLine(fd: number, onLine: (line: string) => void, options: LineReaderOptions = {}): LineCounts {
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const maxLine = options.maxLine ?? DEFAULT_MAX_LINE;
  const buf = Buffer.allocUnsafe(chunkBytes);
  const decoder = new StringDecoder('utf8');
  const counts: LineCounts = { overlong: 0 };
  let parts: string[] = [];
  let partLen = 0;
  let skipping = false;
  const take = (piece: string, complete: boolean): void => {
    if (!skipping && partLen + piece.length > maxLine) {
      skipping = true;
      parts = [];
      partLen = 0;
    }
    if (!skipping) {
      parts.push(piece);
      partLen += piece.length;
    }
    if (!complete) return;
    if (skipping) counts.overlong++;
    else onLine(parts.length === 1 ? parts[0] : parts.join(''));
    parts = [];
    partLen = 0;
    skipping = false;
  };
  for (;;) {
    const n = fs.readSync(fd, buf, 0, chunkBytes, null);
    const text = n > 0 ? decoder.write(buf.subarray(0, n)) : decoder.end();
    STEPS.lines += text.length;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      take(text.slice(start, nl), true);
      start = nl + 1;
    }
    if (start < text.length) take(text.slice(start), false);
    if (n <= 0) break;
  }
  if (partLen > 0 || skipping) take('', true);
  return counts;
}
