/**
 * A fast `key=value` scanner for auditd record bodies (RAW and ENRICHED). Quotes are kept on values.
 * Linear: the index only moves forward; a value whose closing quote or space lies past `end` ends the
 * scan, so the indexOf calls read past `end` at most once per call.
 */

const SPACE = 32;
const EQ = 61;

/**
 * Splits `k1=v1 k2="v 2" k3='v 3' k4={ a b }` into the map `out`. Values keep their quotes so the caller can
 * tell a quoted (plain) auditd value from an unquoted (possibly hex) one. The first occurrence of a key wins.
 */
export function scanKv(s: string, start: number, end: number, out: Record<string, string>): void {
  let i = start;
  while (i < end) {
    while (i < end && s.charCodeAt(i) === SPACE) i++;
    if (i >= end) break;
    const keyStart = i;
    while (i < end && s.charCodeAt(i) !== EQ && s.charCodeAt(i) !== SPACE) i++;
    if (i >= end || s.charCodeAt(i) !== EQ) continue; // a bare word: skip it
    const key = s.slice(keyStart, i);
    i++;
    const c = s[i];
    let valueEnd: number;
    if (c === '"' || c === "'" || c === '{') {
      const close = c === '{' ? '}' : c;
      const q = s.indexOf(close, i + 1);
      valueEnd = q < 0 || q >= end ? end : q + 1;
    } else {
      const sp = s.indexOf(' ', i);
      valueEnd = sp < 0 || sp > end ? end : sp;
    }
    if (!(key in out)) out[key] = s.slice(i, valueEnd);
    i = valueEnd;
  }
}

/** Strips one pair of surrounding quotes (`"…"` or `'…'`). */
export function unquote(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const n = v.length;
  if (n >= 2) {
    const a = v[0];
    if ((a === '"' || a === "'") && v[n - 1] === a) return v.slice(1, n - 1);
  }
  return v;
}

export function isQuoted(v: string): boolean {
  return v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"';
}
