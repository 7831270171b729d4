/**
 * One audit record line: its header (`[node=<name> ]type=<TYPE> msg=audit(<id>): `) read without a regex,
 * its key/value pairs on first use (the stream's pre-pass parses every record; most never need them).
 */
import { scanKv } from './kv';

export interface AuditRecord {
  type: string;
  node?: string;
  /** The id inside `msg=audit(…)`: `<time>:<serial>`. */
  id: string;
  interpreted: boolean;
  enriched: boolean;
  kv: Record<string, string>;
  /** The body text after the header (interpreted records are re-split per type). */
  body: string;
}

const GS = '\x1d';

/** JS `\s`: the whitespace the header grammar allows around `:` and that ends a `node=` name. */
function isSpace(c: number): boolean {
  if (c > 32 && c < 127) return false;
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function isTypeChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95; // A-Z 0-9 _
}

/**
 * One record's header, read as `^(?:node=(\S+) )?type=([A-Z_0-9]+) msg=audit\(([^)]*)\)\s*:\s?` matches
 * (test/telemetry/auditd-header.test.ts holds that regex as the reference), without allocating a match.
 * Returns the body's start, or -1; the header's parts go to `h`.
 */
function readHeader(line: string, h: { node?: string; type: string; id: string }): number {
  let p = 0;
  h.node = undefined;
  if (line.startsWith('node=')) {
    p = 5;
    while (p < line.length && !isSpace(line.charCodeAt(p))) p++;
    if (p === 5 || line.charCodeAt(p) !== 32) return -1;
    h.node = line.slice(5, p);
    p++;
  }
  if (!line.startsWith('type=', p)) return -1;
  p += 5;
  const typeStart = p;
  while (p < line.length && isTypeChar(line.charCodeAt(p))) p++;
  if (p === typeStart || !line.startsWith(' msg=audit(', p)) return -1;
  const type = line.slice(typeStart, p);
  p += 11;
  const close = line.indexOf(')', p);
  if (close < 0) return -1;
  const id = line.slice(p, close);
  p = close + 1;
  while (p < line.length && isSpace(line.charCodeAt(p))) p++;
  if (line.charCodeAt(p) !== 58 /* : */) return -1;
  p++;
  if (p < line.length && isSpace(line.charCodeAt(p))) p++;
  h.type = type;
  h.id = id;
  return p;
}

/** Record types whose fields the parsers read (others keep only their header). */
const USED_TYPES = new Set(['EXECVE', 'PROCTITLE', 'SYSCALL', 'CWD', 'USER_CMD', 'SOCKADDR']);
const SYSCALL_KEYS = ['syscall', 'success', 'pid', 'ppid', 'auid', 'uid', 'comm', 'exe'];
const SYSCALL_NEEDLES = SYSCALL_KEYS.map((k) => ' ' + k + '=');

/**
 * A parsed record whose key/value pairs are read on first use: most records (every exec of the stream goes
 * through the pre-pass) never need them.
 */
class LazyRecord implements AuditRecord {
  private pairs: Record<string, string> | undefined;

  constructor(
    readonly type: string,
    readonly node: string | undefined,
    readonly id: string,
    readonly interpreted: boolean,
    private readonly line: string,
    private readonly bodyStart: number,
    /** The 0x1D byte before ENRICHED fields, or -1. */
    private readonly gs: number,
  ) {}

  get enriched(): boolean {
    return this.gs >= 0;
  }

  get body(): string {
    return this.line.slice(this.bodyStart, this.gs < 0 ? this.line.length : this.gs);
  }

  get kv(): Record<string, string> {
    return (this.pairs ??= this.readKv());
  }

  private readKv(): Record<string, string> {
    const { line, bodyStart, gs, type } = this;
    const end = gs < 0 ? line.length : gs;
    const kv: Record<string, string> = {};
    if (type === 'SYSCALL' && !this.interpreted) {
      // The command runs on every event: read only the SYSCALL fields used, not its ~30 pairs.
      for (let k = 0; k < SYSCALL_KEYS.length; k++)
        pick(line, bodyStart - 1, end, SYSCALL_NEEDLES[k], kv, SYSCALL_KEYS[k]);
      if (gs >= 0) {
        pick(line, gs, line.length, ' UID=', kv, 'UID');
        pick(line, gs, line.length, ' AUID=', kv, 'AUID');
      }
    } else if (USED_TYPES.has(type)) {
      scanKv(line, bodyStart, end, kv);
      if (gs >= 0) scanKv(line, gs + 1, line.length, kv); // ENRICHED names are upper-case: no clash
    }
    return kv;
  }
}

const header = { node: undefined as string | undefined, type: '', id: '' };

/** Parses one audit record line; undefined when the line is not one. */
export function parseAuditRecord(line: string): AuditRecord | undefined {
  const bodyStart = readHeader(line, header);
  if (bodyStart < 0) return undefined;
  const { node, type, id } = header;
  const interpreted = id.indexOf('/') >= 0 || id.indexOf(' ') >= 0;
  return new LazyRecord(type, node, id, interpreted, line, bodyStart, line.indexOf(GS, bodyStart));
}

/**
 * Reads ` key=value` (quoted or bare) between from and end into out[key]; needle is ` key=`. `from` is just
 * before the first key.
 */
function pick(line: string, from: number, end: number, needle: string, out: Record<string, string>, key: string): void {
  const i = line.indexOf(needle, from);
  if (i < 0 || i >= end) return;
  const vs = i + needle.length;
  let ve: number;
  if (line[vs] === '"') {
    const q = line.indexOf('"', vs + 1);
    ve = q < 0 || q >= end ? end : q + 1;
  } else {
    const sp = line.indexOf(' ', vs);
    ve = sp < 0 || sp > end ? end : sp;
  }
  out[key] = line.slice(vs, ve);
}
