/**
 * Allowlist (lookups/t1612_allowlist.csv): known-good builds, e.g. CI runners.
 *
 * Format: CSV (RFC 4180 quoting), a header row naming the columns host, user, parent_process_name,
 * process_pattern, comment (any order; other columns ignored; `comment` optional).
 * Matching, per row (all non-empty cells must match; an empty cell matches anything):
 * - `*` matches any run of characters (also none); every other character is literal; case-insensitive.
 * - host: the event's `host` (Splunk host), else `dest`.
 * - user: the event's `user`.
 * - parent_process_name: the parent's basename (`gitlab-runner`) or its full value (`/usr/bin/gitlab-runner`).
 * - process_pattern: the whole command line shown in CommandLine (use `*` at both ends for "contains").
 * A row whose four match cells are all empty would allow everything and is rejected.
 */

export interface AllowlistRow {
  /** 1-based line number of the row in the file (header = line 1). */
  line: number;
  host?: RegExp;
  user?: RegExp;
  parent_process_name?: RegExp;
  process_pattern?: RegExp;
  /** The cells as written, for allowlist_match. */
  text: { host: string; user: string; parent_process_name: string; process_pattern: string; comment: string };
  source: string;
}

export class AllowlistError extends Error {
  override name = 'AllowlistError';
}

/** `*` wildcard pattern → anchored, case-insensitive RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (const part of glob.split('*')) re += part.replace(/[.+?^${}()|[\]\\]/g, '\\$&') + '[\\s\\S]*';
  re = re.slice(0, -'[\\s\\S]*'.length) + '$';
  return new RegExp(re, 'i');
}

/** RFC 4180 CSV → rows of cells, with the line number each row starts on. */
function parseCsv(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let inQ = false;
  let line = 1;
  let rowLine = 1;
  let any = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQ) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQ = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"') {
      inQ = true;
      any = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      cells.push(cell);
      if (any || cell !== '') rows.push({ cells, line: rowLine });
      cells = [];
      cell = '';
      any = false;
      line++;
      rowLine = line;
    } else {
      cell += c;
      any = true;
    }
  }
  if (inQ) throw new AllowlistError(`unterminated quoted field starting on line ${rowLine}`);
  if (any || cell !== '') {
    cells.push(cell);
    rows.push({ cells, line: rowLine });
  }
  return rows;
}

const MATCH_COLUMNS = ['host', 'user', 'parent_process_name', 'process_pattern'] as const;

/** Parses the allowlist CSV text; `source` names it in allowlist_match. Throws AllowlistError. */
export function parseAllowlist(text: string, source = 't1612_allowlist.csv'): AllowlistRow[] {
  const rows = parseCsv(text);
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
      host: text.host ? globToRegExp(text.host) : undefined,
      user: text.user ? globToRegExp(text.user) : undefined,
      parent_process_name: text.parent_process_name ? globToRegExp(text.parent_process_name) : undefined,
      process_pattern: text.process_pattern ? globToRegExp(text.process_pattern) : undefined,
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

function cellMatches(re: RegExp | undefined, ...values: (string | undefined)[]): boolean {
  if (!re) return true;
  for (const v of values) if (v !== undefined && re.test(v)) return true;
  return false;
}

/** The first row matching the subject, or undefined. */
export function matchAllowlist(rows: readonly AllowlistRow[], s: AllowlistSubject): AllowlistRow | undefined {
  for (const r of rows) {
    if (!cellMatches(r.host, s.host)) continue;
    if (!cellMatches(r.user, s.user)) continue;
    if (!cellMatches(r.parent_process_name, s.parentBase, s.parentName)) continue;
    if (!cellMatches(r.process_pattern, s.commandLine)) continue;
    return r;
  }
  return undefined;
}

/** The allowlist_match text: which row matched and why it is there. */
export function describeMatch(r: AllowlistRow): string {
  const cells = MATCH_COLUMNS.filter((c) => r.text[c] !== '').map((c) => `${c}=${r.text[c]}`);
  return `${r.source} line ${r.line}: ${cells.join(' ')}${r.text.comment ? ` (${r.text.comment})` : ''}`;
}
