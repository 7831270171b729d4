/**
 * Command-line tokeniser for the detection model.
 *
 * Two dialects:
 * - POSIX shell: '…' literal, "…" with \ escaping $ ` " \ and newline, \x outside quotes, `$(…)` and
 *   backticks kept inside the word; unquoted `;` `&&` `||` `|` `&` `(` `)` and newline are control
 *   operators; `<`, `>`, `>>`, `2>`, `<<<`, `&>`, `>&` … are redirections whose target word is attached.
 *   `#` at the start of a word starts a comment.
 * - Windows (CommandLineToArgvW rules): backslashes are literal except before a double quote
 *   (2n backslashes + `"` → n backslashes and a quote toggle; 2n+1 → n backslashes and a literal `"`);
 *   no single quotes; unquoted `&&` `||` `&` `|` are cmd.exe operators, `<` `>` redirections.
 *
 * Tokens keep the offset where they started in the input, so a caller can take the raw rest of a line
 * (needed for `sh -c` scripts whose quoting was lost when auditd/ps joined argv with spaces).
 *
 * Linear: every character is visited once by the main loops (quoted spans are found with indexOf and
 * copied once); the work is added to STEPS.tokenize.
 */
import { STEPS } from '../../steps';

export interface Token {
  kind: 'word' | 'op' | 'redir';
  value: string;
  /** Offset of the token's first character in the tokenised string. */
  start: number;
  /** A quote character or escape took part in the word. */
  quoted: boolean;
  /** For `redir`: the target word (file name), when one followed. */
  target?: string;
}

export interface SimpleCommand {
  words: Token[];
  redirs: Token[];
  /** The string the tokens' offsets refer to. */
  src: string;
  /** Offset of the control operator that ends the command (or src.length). */
  end: number;
}

const WIN_START = /^\s*"?(?:[A-Za-z]:[\\/]|\\\\|[^\s"\\/]+\.exe(?:"|\s|$))/i;

/** Heuristic: the command line is a Windows one (drive path, UNC path, or `x.exe` first word). */
export function looksWindows(line: string, processPath?: string): boolean {
  if (WIN_START.test(line)) return true;
  return processPath !== undefined && processPath.indexOf('\\') >= 0;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Reads a redirection operator at i (POSIX), or returns undefined. */
function readRedirOp(s: string, i: number): { op: string; end: number } | undefined {
  let j = i;
  while (j < s.length && isDigit(s[j])) j++;
  STEPS.tokenize += j - i;
  const c = s[j];
  if (c === '&' && s[j + 1] === '>' && j === i) {
    const end = s[j + 2] === '>' ? j + 3 : j + 2;
    return { op: s.slice(i, end), end };
  }
  if (c !== '<' && c !== '>') return undefined;
  let end = j + 1;
  if (c === '<') {
    if (s.startsWith('<<', j)) end = s[j + 2] === '<' ? j + 3 : j + 2;
    else if (s[j + 1] === '&' || s[j + 1] === '>') end = j + 2;
  } else {
    if (s[j + 1] === '>' || s[j + 1] === '|' || s[j + 1] === '&') end = j + 2;
  }
  // `<(` / `>(` process substitution: treat as a word, not a redirection.
  if (s[end] === '(' && end === j + 1) return undefined;
  return { op: s.slice(i, end), end };
}

/**
 * Splits `s` into tokens. `windows`: CommandLineToArgvW / cmd.exe rules; `semicolons` (with windows):
 * `;` is also a command separator, as in a PowerShell `-Command` script; `carets`: a script cmd.exe runs,
 * where an unquoted `^` escapes the next character (`d^oc^ker` is `docker`).
 */
export function tokenize(s: string, windows: boolean, semicolons = false, carets = false): Token[] {
  return windows ? tokenizeWindows(s, semicolons, carets) : tokenizePosix(s);
}

function tokenizePosix(s: string): Token[] {
  const out: Token[] = [];
  const n = s.length;
  let i = 0;
  let steps = 0;
  let pendingRedir: Token | undefined;
  while (i < n) {
    steps++;
    const c = s[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '\n') {
      out.push({ kind: 'op', value: ';', start: i, quoted: false });
      pendingRedir = undefined;
      i++;
      continue;
    }
    if (c === '#') {
      const e = s.indexOf('\n', i);
      steps += (e < 0 ? n : e) - i;
      i = e < 0 ? n : e;
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      if (c === '&' && s[i + 1] === '>') {
        // &> redirection
      } else {
        let op = c;
        if ((c === '&' || c === '|' || c === ';') && s[i + 1] === c) op = c + c;
        out.push({ kind: 'op', value: op, start: i, quoted: false });
        pendingRedir = undefined;
        i += op.length;
        continue;
      }
    }
    const r = readRedirOp(s, i);
    if (r) steps += r.end - i;
    if (r) {
      const tok: Token = { kind: 'redir', value: r.op, start: i, quoted: false };
      out.push(tok);
      // `>&2`, `2>&1`: the target is a descriptor right after the operator.
      pendingRedir = tok;
      i = r.end;
      continue;
    }
    // a word
    const start = i;
    let v = '';
    let quoted = false;
    while (i < n) {
      steps++;
      const ch = s[i];
      if (isSpace(ch) || ch === '\n' || ch === ';' || ch === '|' || ch === '&' || ch === ')' || ch === '(') break;
      if ((ch === '<' || ch === '>') && s[i + 1] !== '(') break;
      if (ch === "'") {
        quoted = true;
        const e = s.indexOf("'", i + 1);
        steps += (e < 0 ? n : e) - i;
        if (e < 0) {
          v += s.slice(i + 1);
          i = n;
        } else {
          v += s.slice(i + 1, e);
          i = e + 1;
        }
        continue;
      }
      if (ch === '"') {
        quoted = true;
        i++;
        while (i < n && s[i] !== '"') {
          steps++;
          if (s[i] === '\\' && i + 1 < n && '$`"\\\n'.indexOf(s[i + 1]) >= 0) {
            if (s[i + 1] !== '\n') v += s[i + 1];
            i += 2;
            continue;
          }
          v += s[i];
          i++;
        }
        i++;
        continue;
      }
      if (ch === '\\') {
        quoted = true;
        if (i + 1 < n) {
          if (s[i + 1] !== '\n') v += s[i + 1];
          i += 2;
        } else i++;
        continue;
      }
      if (ch === '$' && s[i + 1] === '(') {
        // $( … ) kept verbatim, balanced
        let depth = 0;
        const b = i;
        i++;
        for (; i < n; i++) {
          steps++;
          if (s[i] === '(') depth++;
          else if (s[i] === ')') {
            depth--;
            if (depth === 0) {
              i++;
              break;
            }
          }
        }
        v += s.slice(b, i);
        continue;
      }
      if (ch === '`') {
        const e = s.indexOf('`', i + 1);
        const end = e < 0 ? n : e + 1;
        steps += end - i;
        v += s.slice(i, end);
        i = end;
        continue;
      }
      v += ch;
      i++;
    }
    if (pendingRedir) {
      pendingRedir.target = v;
      pendingRedir = undefined;
    } else out.push({ kind: 'word', value: v, start, quoted });
  }
  STEPS.tokenize += steps;
  return out;
}

function tokenizeWindows(s: string, semicolons: boolean, carets: boolean): Token[] {
  const out: Token[] = [];
  const n = s.length;
  let i = 0;
  let steps = 0;
  let pendingRedir: Token | undefined;
  while (i < n) {
    steps++;
    const c = s[i];
    if (isSpace(c) || c === '\n') {
      i++;
      continue;
    }
    if (c === '&' || c === '|' || (semicolons && c === ';')) {
      const op = c !== ';' && s[i + 1] === c ? c + c : c;
      out.push({ kind: 'op', value: op, start: i, quoted: false });
      pendingRedir = undefined;
      i += op.length;
      continue;
    }
    if (
      c === '<' ||
      c === '>' ||
      (isDigit(c) && (s[i + 1] === '>' || s[i + 1] === '<') && (i === 0 || isSpace(s[i - 1])))
    ) {
      let j = isDigit(c) ? i + 1 : i;
      j += s[j + 1] === s[j] || s[j + 1] === '&' ? 2 : 1;
      const tok: Token = { kind: 'redir', value: s.slice(i, j), start: i, quoted: false };
      out.push(tok);
      pendingRedir = tok;
      i = j;
      continue;
    }
    const start = i;
    let v = '';
    let inQ = false;
    let quoted = false;
    while (i < n) {
      steps++;
      const ch = s[i];
      if (
        !inQ &&
        (isSpace(ch) ||
          ch === '\n' ||
          ch === '&' ||
          ch === '|' ||
          ch === '<' ||
          ch === '>' ||
          (semicolons && ch === ';'))
      )
        break;
      if (ch === '\\') {
        let k = i;
        while (k < n && s[k] === '\\') k++;
        steps += k - i;
        const count = k - i;
        if (s[k] === '"') {
          v += '\\'.repeat(count >> 1);
          if (count % 2 === 1) {
            v += '"';
            quoted = true;
            i = k + 1;
          } else i = k; // the quote toggles below
          continue;
        }
        v += s.slice(i, k);
        i = k;
        continue;
      }
      if (carets && ch === '^' && !inQ) {
        quoted = true;
        if (i + 1 < n) v += s[i + 1];
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = true;
        if (inQ && s[i + 1] === '"') {
          v += '"';
          i += 2;
          continue;
        }
        inQ = !inQ;
        i++;
        continue;
      }
      v += ch;
      i++;
    }
    if (pendingRedir) {
      pendingRedir.target = v;
      pendingRedir = undefined;
    } else out.push({ kind: 'word', value: v, start, quoted });
  }
  STEPS.tokenize += steps;
  return out;
}

/** Splits a token list into simple commands at control operators; redirections stay with their command. */
export function splitCommands(tokens: Token[], src: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let cur: SimpleCommand = { words: [], redirs: [], src, end: src.length };
  for (const t of tokens) {
    if (t.kind === 'op') {
      cur.end = t.start;
      if (cur.words.length > 0 || cur.redirs.length > 0) out.push(cur);
      cur = { words: [], redirs: [], src, end: src.length };
    } else if (t.kind === 'redir') cur.redirs.push(t);
    else cur.words.push(t);
  }
  if (cur.words.length > 0 || cur.redirs.length > 0) out.push(cur);
  STEPS.tokenize += tokens.length;
  return out;
}
