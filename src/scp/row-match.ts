/**
 * Row.matches for a whole chunk: "does this regex match somewhere in the row's bytes (latin1)?"
 * asked once per row, in row order. Cutting one string per row and running the regex on it costs
 * most of the command's time on a stream where few rows match (docs/performance.md). Here, for a
 * regex that is an alternation of plain literals (`docker|podman|2375`, flags `i` at most), the
 * regex runs over a window of the chunk and the next match position is remembered: rows before it
 * answer without any work, and each byte is scanned about once per regex. The literals are split
 * into two regexes (starting with a letter or not): irregexp's Boyer-Moore lookahead then skips on a
 * small first-character set (measured 2x faster than one alternation). A literal has no line end,
 * so a match never spans two rows. Any other regex runs on the row's text, as before.
 */

const LITERAL_ALTERNATION = /^[A-Za-z0-9 _]+(?:\|[A-Za-z0-9 _]+)*$/;
const WINDOW_BYTES = 1 << 20;

interface Plan {
  /** Global regexes over the window; empty when `re` is not a literal alternation. */
  parts: RegExp[];
}

const plans = new WeakMap<RegExp, Plan>();

function planFor(re: RegExp): Plan {
  let plan = plans.get(re);
  if (plan === undefined) {
    plan = { parts: [] };
    if (LITERAL_ALTERNATION.test(re.source) && /^i?$/.test(re.flags)) {
      const literals = re.source.split('|');
      const letter = literals.filter((l) => /^[A-Za-z]/.test(l));
      const other = literals.filter((l) => !/^[A-Za-z]/.test(l));
      for (const group of [letter, other])
        if (group.length > 0) plan.parts.push(new RegExp(group.join('|'), re.flags + 'g'));
    }
    plans.set(re, plan);
  }
  return plan;
}

export class RowMatcher {
  private window = '';
  private winStart = 0;
  private winEnd = 0;
  /** Per regex part: absolute position of its next match at or after `from`, Infinity when none in the window. */
  private next = new Map<RegExp, { from: number; at: number }>();

  constructor(private readonly buf: Buffer) {}

  /** True when `re` matches the bytes [start, end) of the buffer read as latin1. Rows must come in order. */
  test(re: RegExp, start: number, end: number): boolean {
    const plan = planFor(re);
    if (plan.parts.length === 0) return re.test(this.buf.toString('latin1', start, end));
    if (start < this.winStart || end > this.winEnd) this.moveWindow(start, end);
    for (const part of plan.parts) {
      let state = this.next.get(part);
      if (state === undefined || state.at < start || state.from > start) {
        part.lastIndex = start - this.winStart;
        const m = part.exec(this.window);
        const at = m === null ? Infinity : this.winStart + m.index;
        if (state === undefined) this.next.set(part, (state = { from: start, at }));
        else {
          state.from = start;
          state.at = at;
        }
      }
      if (state.at < end) return true;
    }
    return false;
  }

  private moveWindow(start: number, end: number): void {
    this.winStart = start;
    this.winEnd = Math.min(this.buf.length, Math.max(end, start + WINDOW_BYTES));
    this.window = this.buf.toString('latin1', this.winStart, this.winEnd);
    this.next.clear();
  }
}
