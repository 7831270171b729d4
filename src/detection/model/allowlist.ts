/**
 * Allowlist (lookups/t1612_allowlist.csv): known-good builds, e.g. CI runners. Pure: the caller reads the file.
 *
 * Format: CSV (RFC 4180 quoting, the engine's codec src/scp/csv.ts), a header row naming the columns host,
 * user, parent_process_name, process_pattern, comment (any order; other columns ignored; `comment` optional).
 * Matching, per row (all non-empty cells must match; an empty cell matches anything):
 * - `*` matches any run of characters (also none); every other character is literal; case-insensitive.
 * - host: the event's `host` (Splunk host), else `dest`.
 * - user: the event's `user`.
 * - parent_process_name: the parent's basename (`gitlab-runner`) or its full value (`/usr/bin/gitlab-runner`).
 * - process_pattern: the whole command line shown in CommandLine (use `*` at both ends for "contains").
 * A row whose four match cells are all empty would allow everything and is rejected.
 */
import { CsvError, parseCsvRows } from '../../scp/csv';
import { STEPS } from '../../steps';

/**
 * A compiled `*` wildcard pattern. Matching is linear without backtracking: the text before the first `*`
 * must start the subject, the text after the last `*` must end it, and each part in between is found
 * leftmost-first (Knuth-Morris-Pratt) after the previous one. Leftmost-first is enough for `*`-only
 * patterns: a later occurrence never leaves more room for the parts that follow. Work per subject of
 * length n: at most 2n + the pattern length steps (counted in STEPS.allowlist).
 */
export class Wildcard {
  private readonly head: string;
  private readonly tail: string;
  private readonly middle: { part: string; fail: Int32Array }[];
  private readonly single: boolean;

  constructor(readonly pattern: string) {
    const parts = pattern.toLowerCase().split('*');
    this.single = parts.length === 1;
    this.head = parts[0];
    this.tail = this.single ? '' : parts[parts.length - 1];
    this.middle = parts
      .slice(1, -1)
      .filter((p) => p !== '')
      .map((part) => ({ part, fail: failureTable(part) }));
  }

  /** Case-insensitive match of the whole subject. */
  test(subject: string): boolean {
    return this.testLower(subject.toLowerCase());
  }

  /** Match of an already lower-cased subject. */
  testLower(t: string): boolean {
    STEPS.allowlist += this.head.length + this.tail.length + 1;
    if (this.single) return t === this.head;
    if (t.length < this.head.length + this.tail.length || !t.startsWith(this.head) || !t.endsWith(this.tail))
      return false;
    let pos = this.head.length;
    const limit = t.length - this.tail.length;
    for (const m of this.middle) {
      const end = kmpFind(t, pos, limit, m.part, m.fail);
      if (end < 0) return false;
      pos = end;
    }
    return true;
  }
}

/** KMP failure function: fail[i] = length of the longest proper border of part[0..i]. */
function failureTable(part: string): Int32Array {
  const fail = new Int32Array(part.length);
  let k = 0;
  for (let i = 1; i < part.length; i++) {
    while (k > 0 && part.charCodeAt(i) !== part.charCodeAt(k)) k = fail[k - 1];
    if (part.charCodeAt(i) === part.charCodeAt(k)) k++;
    fail[i] = k;
  }
  return fail;
}

/** End offset of the first occurrence of `part` in t[from, limit), or -1. At most 2 × (limit - from) steps. */
function kmpFind(t: string, from: number, limit: number, part: string, fail: Int32Array): number {
  let k = 0;
  let steps = 0;
  for (let i = from; i < limit; i++) {
    const c = t.charCodeAt(i);
    steps++;
    while (k > 0 && c !== part.charCodeAt(k)) {
      k = fail[k - 1];
      steps++;
    }
    if (c === part.charCodeAt(k)) k++;
    if (k === part.length) {
      STEPS.allowlist += steps;
      return i + 1;
    }
  }
  STEPS.allowlist += steps;
  return -1;
}

export interface AllowlistRow {
  /** 1-based line number of the row in the file (header = line 1). */
  line: number;
  host?: Wildcard;
  user?: Wildcard;
  parent_process_name?: Wildcard;
  process_pattern?: Wildcard;
  /** The cells as written, for allowlist_match. */
  text: { host: string; user: string; parent_process_name: string; process_pattern: string; comment: string };
  source: string;
}

export class AllowlistError extends Error {
  override name = 'AllowlistError';
}

/** Rows of cells with the line each row starts on; blank lines are skipped. */
function csvRows(text: string, source: string): { cells: string[]; line: number }[] {
  let rows: string[][];
  try {
    rows = parseCsvRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    if (e instanceof CsvError) throw new AllowlistError(`${source}: ${e.message}`);
    throw e;
  }
  const out: { cells: string[]; line: number }[] = [];
  let line = 1;
  for (const cells of rows) {
    if (cells.length > 1 || cells[0] !== '') out.push({ cells, line });
    line++;
    // a quoted cell may span lines
    for (const c of cells) for (let i = c.indexOf('\n'); i >= 0; i = c.indexOf('\n', i + 1)) line++;
  }
  return out;
}

const MATCH_COLUMNS = ['host', 'user', 'parent_process_name', 'process_pattern'] as const;

/** Parses the allowlist CSV text; `source` names it in allowlist_match. Throws AllowlistError. */
export function parseAllowlist(text: string, source = 't1612_allowlist.csv'): AllowlistRow[] {
  const rows = csvRows(text, source);
  if (rows.length === 0)
    throw new AllowlistError(
      `${source}: empty file (expected the header host,user,parent_process_name,process_pattern,comment)`,
    );
  const header = rows[0].cells.map((h) => h.trim().toLowerCase());
  const idx: Record<string, number> = {};
  for (const col of [...MATCH_COLUMNS, 'comment']) idx[col] = header.indexOf(col);
  const missing = MATCH_COLUMNS.filter((c) => idx[c] < 0);
  if (missing.length > 0) throw new AllowlistError(`${source}: header lacks column(s) ${missing.join(', ')}`);
  const out: AllowlistRow[] = [];
  for (const r of rows.slice(1)) {
    const cell = (col: string): string => (idx[col] >= 0 ? (r.cells[idx[col]] ?? '').trim() : '');
    const text = {
      host: cell('host'),
      user: cell('user'),
      parent_process_name: cell('parent_process_name'),
      process_pattern: cell('process_pattern'),
      comment: cell('comment'),
    };
    if (!text.host && !text.user && !text.parent_process_name && !text.process_pattern) {
      throw new AllowlistError(
        `${source} line ${r.line}: every match column is empty (the row would allow every event)`,
      );
    }
    out.push({
      line: r.line,
      host: text.host ? new Wildcard(text.host) : undefined,
      user: text.user ? new Wildcard(text.user) : undefined,
      parent_process_name: text.parent_process_name ? new Wildcard(text.parent_process_name) : undefined,
      process_pattern: text.process_pattern ? new Wildcard(text.process_pattern) : undefined,
      text,
      source,
    });
  }
  return out;
}

export interface AllowlistSubject {
  host?: string;
  user?: string;
  parentName?: string;
  parentBase?: string;
  commandLine?: string;
}

function cellMatches(w: Wildcard | undefined, ...values: (string | undefined)[]): boolean {
  if (!w) return true;
  for (const v of values) if (v !== undefined && w.testLower(v)) return true;
  return false;
}

const lower = (v: string | undefined): string | undefined => v?.toLowerCase();

/** The first row matching the subject, or undefined. Each subject value is lower-cased once. */
export function matchAllowlist(rows: readonly AllowlistRow[], s: AllowlistSubject): AllowlistRow | undefined {
  const host = lower(s.host);
  const user = lower(s.user);
  const parentBase = lower(s.parentBase);
  const parentName = lower(s.parentName);
  const commandLine = lower(s.commandLine);
  for (const r of rows) {
    if (!cellMatches(r.host, host)) continue;
    if (!cellMatches(r.user, user)) continue;
    if (!cellMatches(r.parent_process_name, parentBase, parentName)) continue;
    if (!cellMatches(r.process_pattern, commandLine)) continue;
    return r;
  }
  return undefined;
}

/** The allowlist_match text: which row matched and why it is there. */
export function describeMatch(r: AllowlistRow): string {
  const cells = MATCH_COLUMNS.filter((c) => r.text[c] !== '').map((c) => `${c}=${r.text[c]}`);
  return `${r.source} line ${r.line}: ${cells.join(' ')}${r.text.comment ? ` (${r.text.comment})` : ''}`;
}
