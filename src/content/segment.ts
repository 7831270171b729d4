/**
 * Splunk's index-time segmentation with the default breakers (segmenters.conf, see docs/content.md
 * "Segmentation"): an event's raw text is split by major breakers; every major segment is indexed, and for
 * each minor breaker inside it both the token from the segment start to the breaker and the token since the
 * previous minor breaker are indexed too. Terms are case-insensitive, so everything is lower-cased.
 */

/** segmenters.conf MAJOR default (`\s` = space; %xx are literal three/five-character strings). */
export const MAJOR_BREAKERS: readonly string[] = [
  '[',
  ']',
  '<',
  '>',
  '(',
  ')',
  '{',
  '}',
  '|',
  '!',
  ';',
  ',',
  "'",
  '"',
  '*',
  '\n',
  '\r',
  ' ',
  '\t',
  '&',
  '?',
  '+',
  '%21',
  '%26',
  '%2526',
  '%3B',
  '%7C',
  '%20',
  '%2B',
  '%3D',
  '--',
  '%2520',
  '%5D',
  '%5B',
  '%3A',
  '%0A',
  '%2C',
  '%28',
  '%29',
];

/** segmenters.conf MINOR default. */
export const MINOR_BREAKERS: readonly string[] = ['/', ':', '=', '@', '.', '-', '$', '#', '%', '\\', '_'];

/** Longest first, so `%2526` wins over `%26` and `--` over a minor `-`; compared case-insensitively. */
const MAJORS = [...MAJOR_BREAKERS].map((b) => b.toLowerCase()).sort((a, b) => b.length - a.length);
const MINOR_SET = new Set(MINOR_BREAKERS);

function majorAt(text: string, i: number): number {
  for (const b of MAJORS) if (text.startsWith(b, i)) return b.length;
  return 0;
}

/** The major segments of `text` (lower-cased, empty ones dropped). */
export function majorSegments(text: string): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < lower.length;) {
    const n = majorAt(lower, i);
    if (n === 0) {
      i++;
      continue;
    }
    if (i > start) out.push(lower.slice(start, i));
    i += n;
    start = i;
  }
  if (start < lower.length) out.push(lower.slice(start));
  return out;
}

/** Every term Splunk indexes for `text` with full (major + minor) segmentation. */
export function indexedTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const seg of majorSegments(text)) {
    terms.add(seg);
    let last = 0;
    for (let i = 0; i < seg.length; i++) {
      if (!MINOR_SET.has(seg[i])) continue;
      if (i > 0) terms.add(seg.slice(0, i));
      if (i > last) terms.add(seg.slice(last, i));
      last = i + 1;
    }
    if (last > 0 && last < seg.length) terms.add(seg.slice(last));
  }
  return terms;
}

/** The parts a search term is looked up by: split at every major and minor breaker. */
export function termParts(term: string): string[] {
  const out: string[] = [];
  for (const seg of majorSegments(term)) {
    let last = 0;
    for (let i = 0; i <= seg.length; i++) {
      if (i < seg.length && !MINOR_SET.has(seg[i])) continue;
      if (i > last) out.push(seg.slice(last, i));
      last = i + 1;
    }
  }
  return out;
}

export function hasBreaker(term: string): boolean {
  const lower = term.toLowerCase();
  for (let i = 0; i < lower.length; i++) if (majorAt(lower, i) > 0 || MINOR_SET.has(lower[i])) return true;
  return false;
}
