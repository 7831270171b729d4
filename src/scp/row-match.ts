/**
 * Row.matches for a whole chunk: "does this regex match somewhere in the row's bytes (latin1)?"
 * asked once per row, in row order. Cutting one string per row and running the regex on it costs
 * most of the command's time on a stream where few rows match (docs/performance.md). Here, for a
 * regex that is an alternation of plain literals (`docker|podman|2375`, flags `i` at most), the
 * regex runs over a window of the chunk and the next match position is remembered: rows before it
 * answer without any work, and each byte is scanned about once per regex. The literals are split
 * into two regexes (starting with a letter or not): irregexp's Boyer-Moore lookahead then skips on a
 * small first-character set (measured 2x faster than one alternation). A literal has no line end,
 * so a match never spans two rows.
 *
 * Any other regex runs on the row's text (measured faster than the window for these), as the parts
 * it offers (`parts`: regexes whose union it is), each split the same way when it is simple enough.
 * On a stream where nearly every row matches, the regex would scan each row up to its first match:
 * for a part without assertions, the text of its last match is a match wherever it occurs, so the
 * next row first looks for those bytes (a byte search, several times faster than the regex) and
 * falls back to the regex when they are absent (then straight to the regex for a while).
 */

import { LiteralScanner } from './literal-scan';

const LITERAL_ALTERNATION = /^[A-Za-z0-9 _]+(?:\|[A-Za-z0-9 _]+)*$/;
const WINDOW_BYTES = 1 << 20;
/** Rows to go straight to the regex after the last match's text was not in a row. */
const HIT_BACKOFF = 64;

interface Part {
  re: RegExp;
  /** No `\b`: any occurrence of a matched text is a match. */
  plain: boolean;
}

const SINGLE_LITERAL = /^[A-Za-z0-9 _]+$/;

interface Plan {
  /** A single plain literal (flag `i` at most): searched as bytes (literal-scan.ts) before any regex. */
  literal?: string;
  /** Literal alternations: global regexes over the window. */
  parts: Part[];
  /** Other regexes: tried one by one on the row's text (`re` itself, or the parts it offers). */
  rowParts: Part[];
}

interface State {
  /** Absolute position of the part's next match at or after `from`, Infinity when none in the window. */
  from: number;
  at: number;
  /** Bytes of the part's last match (plain parts), tried first on the next rows. */
  hit: Buffer | null;
  /** Where the hit was in the last row that had it (offset from the row's start). */
  at0?: number;
  /** Rows left before the hit is tried again. */
  skip: number;
}

/**
 * True when no match of `source` can contain a line end or depend on text past one other than
 * through `\b`: printable literals, escaped punctuation, `(`, `(?:`, `|`, quantifiers, `[...]` sets
 * without `^` or escapes, `\b`. Rejects `.`, `^`, `$`, lookarounds, class escapes.
 */
function windowSafe(source: string): { safe: boolean; plain: boolean } {
  let plain = true;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const code = source.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return { safe: false, plain };
    if (c === '\\') {
      const e = source[++i] ?? '';
      if (e === 'b') plain = false;
      else if (!/^[^A-Za-z0-9]$/.test(e)) return { safe: false, plain };
    } else if (c === '[') {
      const close = source.indexOf(']', i + 1);
      const set = source.slice(i + 1, close);
      if (close < 0 || !/^[^^\\[][\x20-\x7e]*$/.test(set) || set.includes('\\')) return { safe: false, plain };
      i = close;
    } else if (c === '(') {
      if (source[i + 1] === '?' && source[i + 2] !== ':') return { safe: false, plain };
    } else if (c === '.' || c === '^' || c === '$') return { safe: false, plain };
  }
  return { safe: true, plain };
}

/**
 * A safe regex's top-level alternatives in two groups, starting with a letter or not: the union of the
 * two answers the same, and each scans much faster (measured on the mixed stream: 160 → 59 ms per
 * 66 MB chunk for the prefilter's names with their hex forms), the first-character sets being small.
 */
function byFirstCharacter(source: string): string[] {
  if (!windowSafe(source).safe) return [source];
  const alternatives: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = source.indexOf(']', i + 1);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      alternatives.push(source.slice(from, i));
      from = i + 1;
    }
  }
  alternatives.push(source.slice(from));
  const letter = alternatives.filter((a) => /^[A-Za-z]/.test(a));
  const other = alternatives.filter((a) => !/^[A-Za-z]/.test(a));
  return letter.length > 0 && other.length > 0 ? [letter.join('|'), other.join('|')] : [source];
}

const plans = new WeakMap<RegExp, Plan>();

function planFor(re: RegExp): Plan {
  let plan = plans.get(re);
  if (plan === undefined) {
    plan = { parts: [], rowParts: [] };
    if (SINGLE_LITERAL.test(re.source) && /^i?$/.test(re.flags)) plan.literal = re.source;
    if (LITERAL_ALTERNATION.test(re.source) && /^i?$/.test(re.flags)) {
      const literals = re.source.split('|');
      const letter = literals.filter((l) => /^[A-Za-z]/.test(l));
      const other = literals.filter((l) => !/^[A-Za-z]/.test(l));
      for (const group of [letter, other])
        if (group.length > 0) plan.parts.push({ re: new RegExp(group.join('|'), re.flags + 'g'), plain: true });
    } else {
      const offered = (re as { parts?: unknown }).parts;
      const own =
        Array.isArray(offered) &&
        offered.length > 0 &&
        offered.every((p) => p instanceof RegExp && p.flags === re.flags)
          ? (offered as RegExp[])
          : [re];
      const flags = re.flags.replace(/[gy]/g, '');
      for (const p of own) {
        // A part of its own class (a gated regex) keeps its behaviour: it is tried whole, never re-split.
        if (p.constructor !== RegExp) {
          plan.rowParts.push({ re: p, plain: false });
          continue;
        }
        for (const source of byFirstCharacter(p.source)) {
          const c = windowSafe(source);
          plan.rowParts.push({ re: new RegExp(source, flags), plain: c.safe && c.plain });
        }
      }
    }
    plans.set(re, plan);
  }
  return plan;
}

/** `re.test(text)`, through the same parts as rows are tested with (faster for a prefilter split in parts). */
export function testText(re: RegExp, text: string): boolean {
  const plan = planFor(re);
  if (plan.rowParts.length === 0) return re.test(text);
  for (const part of plan.rowParts) if (part.re.test(text)) return true;
  return false;
}

export class RowMatcher {
  private window = '';
  private winStart = 0;
  private winEnd = 0;
  private next = new Map<RegExp, State>();
  /** Byte scanners of single-literal regexes; null once one gave up (the regex then runs on windows). */
  private literals = new Map<RegExp, LiteralScanner | null>();

  constructor(private readonly buf: Buffer) {}

  /** True when `re` matches the bytes [start, end) of the buffer read as latin1. Rows must come in order. */
  test(re: RegExp, start: number, end: number): boolean {
    const plan = planFor(re);
    if (plan.literal !== undefined) {
      let scanner = this.literals.get(re);
      if (scanner === undefined)
        this.literals.set(re, (scanner = new LiteralScanner(this.buf, plan.literal, re.flags === 'i')));
      const found = scanner?.test(start, end);
      if (found !== undefined) return found;
      this.literals.set(re, null);
    }
    if (plan.parts.length === 0) return this.testRow(plan, start, end);
    if (start < this.winStart || end > this.winEnd) this.moveWindow(start, end);
    for (const part of plan.parts) {
      let state = this.next.get(part.re);
      if (state === undefined) this.next.set(part.re, (state = { from: start, at: -1, hit: null, skip: 0 }));
      if (state.at < start || state.from > start) {
        if (state.hit !== null) {
          if (state.skip > 0) state.skip--;
          else if (this.hitIn(state, state.hit, start, end)) return true;
          else state.skip = HIT_BACKOFF;
        }
        const g = part.re;
        g.lastIndex = start - this.winStart;
        const m = g.exec(this.window);
        state.from = start;
        state.at = m === null ? Infinity : this.winStart + m.index;
        if (m !== null && part.plain && m[0].length > 0) state.hit = Buffer.from(m[0], 'latin1');
      }
      if (state.at < end) return true;
    }
    return false;
  }

  /** Per-row text, each part's last matched text tried first (a byte search of the row). */
  private testRow(plan: Plan, start: number, end: number): boolean {
    let text: string | undefined;
    for (const part of plan.rowParts) {
      let state = this.next.get(part.re);
      if (state === undefined) this.next.set(part.re, (state = { from: 0, at: -1, hit: null, skip: 0 }));
      if (state.hit !== null) {
        if (state.skip > 0) state.skip--;
        else if (this.hitIn(state, state.hit, start, end)) return true;
        else state.skip = HIT_BACKOFF;
      }
      text ??= this.buf.toString('latin1', start, end);
      const m = part.re.exec(text);
      if (m !== null) {
        if (part.plain && m[0].length > 0) state.hit = Buffer.from(m[0], 'latin1');
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the row [start, end) holds `hit`. Rows of one source look alike: the search starts a little
   * before where the last row had it, then covers the part of the row before that.
   */
  private hitIn(state: State, hit: Buffer, start: number, end: number): boolean {
    const near = Math.min(end, start + Math.max(0, (state.at0 ?? 0) - 64));
    let i = this.buf.subarray(near, end).indexOf(hit);
    if (i >= 0) i += near - start;
    else if (near > start) i = this.buf.subarray(start, Math.min(end, near + hit.length - 1)).indexOf(hit);
    if (i < 0) return false;
    state.at0 = i;
    return true;
  }

  private moveWindow(start: number, end: number): void {
    this.winStart = start;
    this.winEnd = Math.min(this.buf.length, Math.max(end, start + WINDOW_BYTES));
    this.window = this.buf.toString('latin1', this.winStart, this.winEnd);
    this.next.clear();
  }
}
