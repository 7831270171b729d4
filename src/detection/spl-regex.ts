/**
 * Splunk's eval `match()` uses PCRE; JavaScript RegExp differs in a few places that matter for the
 * seed's patterns. This translates the PCRE subset the seed uses into an equivalent JS RegExp:
 * - a leading inline `(?i)` becomes the `i` flag (Node 18/20 have no inline modifiers);
 * - `\s` is PCRE's ASCII set [\t\n\v\f\r ] (JS's \s also matches NBSP, U+2028, U+FEFF, …);
 * - `.` is "anything but LF" (PCRE's default newline is LF; JS's `.` also refuses \r, U+2028, U+2029);
 * - `$` also matches before a final LF (PCRE without DOLLAR_ENDONLY), JS only at the very end.
 * Anything else is passed through unchanged and must mean the same in both engines.
 */
const PCRE_SPACE = '[\\t\\n\\x0B\\f\\r ]';
const PCRE_SPACE_IN_CLASS = '\\t\\n\\x0B\\f\\r ';

export function splRegex(pattern: string): RegExp {
  let flags = '';
  let src = pattern;
  if (src.startsWith('(?i)')) {
    flags = 'i';
    src = src.slice(4);
  }
  if (src.includes('(?')) throw new Error(`unsupported PCRE group construct in ${pattern}`);
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const next = src[i + 1];
      i++;
      if (next === 's') out += inClass ? PCRE_SPACE_IN_CLASS : PCRE_SPACE;
      else out += '\\' + next;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '.') out += '[^\\n]';
    else if (c === '$') out += '(?=\\n?$)';
    else out += c;
  }
  return new RegExp(out, flags);
}

/** SPL `match(field, regex)` on a possibly null field: a null field never matches. */
export function splMatch(value: string | undefined, re: RegExp): boolean {
  return value !== undefined && value !== '' && re.test(value);
}
