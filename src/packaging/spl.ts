/**
 * Just enough SPL structure for the lint: expand `macros`, split pipelines on top-level "|" (outside
 * quotes, parentheses and [subsearches]), and list the command names used, subsearches included.
 */
import { ConfFile, stanzaMap } from './conf';

export interface MacroDef {
  args: string[];
  definition: string;
}

/** Macros by Splunk's name: `name` for no arguments, `name(N)` for N arguments. */
export type Macros = Map<string, MacroDef>;

/** The macros of a macros.conf (`args` comma-separated, `definition`). */
export function macrosOf(conf: ConfFile | undefined): Macros {
  const macros: Macros = new Map();
  for (const s of conf?.stanzas ?? []) {
    const kv = stanzaMap(s);
    const args = (kv.get('args') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    macros.set(s.name, { args, definition: kv.get('definition') ?? '' });
  }
  return macros;
}

export class SplError extends Error {
  override name = 'SplError';
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      cur += c;
      if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else if (c === '"') q = false;
    } else if (c === '"') {
      q = true;
      cur += c;
    } else if (c === '(') {
      depth++;
      cur += c;
    } else if (c === ')') {
      depth--;
      cur += c;
    } else if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** Expands every `macro` and `macro(args)`; throws SplError for an undefined macro or a cycle. */
export function expandMacros(spl: string, macros: Macros, depth = 0): { text: string; used: string[] } {
  if (depth > 20) throw new SplError('macro expansion nested more than 20 levels (a cycle?)');
  const used: string[] = [];
  const text = spl.replace(/`([^`]*)`/g, (_all, inner: string) => {
    const m = /^\s*([A-Za-z0-9_.:-]+)\s*(?:\(([\s\S]*)\))?\s*$/.exec(inner);
    if (!m) throw new SplError(`malformed macro reference \`${inner}\``);
    const args = m[2] === undefined ? [] : splitArgs(m[2]);
    const key = args.length ? `${m[1]}(${args.length})` : m[1];
    const def = macros.get(key);
    if (!def) throw new SplError(`macro \`${key}\` is not defined in macros.conf`);
    used.push(key);
    let body = def.definition;
    def.args.forEach((name, i) => {
      body = body.split(`$${name}$`).join(args[i] ?? '');
    });
    const inner2 = expandMacros(body, macros, depth + 1);
    used.push(...inner2.used);
    return ` ${inner2.text} `;
  });
  return { text, used };
}

/** Splits on top-level pipes; returns segments and the subsearch bodies found at this level. */
export function splitPipeline(spl: string): { segments: string[]; subsearches: string[] } {
  const segments: string[] = [];
  const subsearches: string[] = [];
  let cur = '';
  let q = false;
  let paren = 0;
  let bracket = 0;
  let subStart = -1;
  for (let i = 0; i < spl.length; i++) {
    const c = spl[i];
    if (q) {
      if (c === '\\' && i + 1 < spl.length) {
        cur += c + spl[++i];
        continue;
      }
      if (c === '"') q = false;
      cur += c;
      continue;
    }
    if (c === '"') q = true;
    else if (c === '(' && bracket === 0) paren++;
    else if (c === ')' && bracket === 0) paren = Math.max(0, paren - 1);
    else if (c === '[') {
      if (bracket === 0) subStart = i + 1;
      bracket++;
    } else if (c === ']' && bracket > 0) {
      bracket--;
      if (bracket === 0) subsearches.push(spl.slice(subStart, i));
    } else if (c === '|' && paren === 0 && bracket === 0) {
      segments.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (q) throw new SplError('unterminated double quote');
  if (bracket !== 0) throw new SplError('unbalanced [ ] (subsearch)');
  segments.push(cur);
  return { segments, subsearches };
}

export interface CommandUse {
  name: string;
  /** The pipeline segment, trimmed, for messages. */
  segment: string;
}

/**
 * The commands a search uses. `postProcess` is true for dashboard post-process queries, whose first
 * segment is a command; otherwise a search that does not start with "|" begins with an implicit search.
 */
export function commandsOf(spl: string, postProcess = false): CommandUse[] {
  const out: CommandUse[] = [];
  const { segments, subsearches } = splitPipeline(spl);
  segments.forEach((raw, i) => {
    const seg = raw.trim();
    if (i === 0 && !postProcess) {
      if (seg !== '') out.push({ name: 'search', segment: seg });
      return;
    }
    if (seg === '') {
      if (i === 0) return; // leading "|": the next segment is a generating command
      throw new SplError('empty pipeline segment ("| |" or a trailing "|")');
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(seg);
    if (!m)
      throw new SplError(`pipeline segment does not start with a command name: ${JSON.stringify(seg.slice(0, 40))}`);
    out.push({ name: m[1].toLowerCase(), segment: seg });
  });
  for (const sub of subsearches) out.push(...commandsOf(sub));
  return out;
}

/** Command names and aliases from a searchbnf.conf text: `[<name>-command]` stanzas and `alias =` lines. */
export function knownCommands(searchbnf: string): Set<string> {
  const names = new Set<string>();
  let inCommand = false;
  for (const line of searchbnf.split(/\r?\n/)) {
    const st = /^\[([^\]]+)-command\]\s*$/.exec(line);
    if (st) {
      names.add(st[1].toLowerCase());
      inCommand = true;
      continue;
    }
    if (/^\[/.test(line)) {
      inCommand = false;
      continue;
    }
    const al = /^alias\s*=\s*(.*)$/.exec(line);
    if (al && inCommand) for (const a of al[1].split(',')) if (a.trim()) names.add(a.trim().toLowerCase());
  }
  return names;
}
