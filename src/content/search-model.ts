/**
 * A model of how Splunk's `search` command matches the base search of the shipped alerts against one
 * event (see docs/content.md "How the base search matches"): bare terms and quoted phrases against the
 * event's indexed terms (segment.ts), case-insensitively; a trailing `*` as a prefix lookup;
 * `field=value` / `field!=value` against search-time fields, case-insensitively with `*` wildcards;
 * NOT, OR, AND (implicit) with Splunk's precedence for the search command: NOT, then OR, then AND.
 * It is deliberately no more permissive than Splunk: a phrase needs every part indexed and the phrase
 * itself in the raw text. Anything it cannot model exactly (a wildcard inside a term) is an error.
 */
import { hasBreaker, indexedTerms, termParts } from './segment';

export type FieldValue = string | readonly string[];

export interface SearchEvent {
  _raw?: string;
  [field: string]: FieldValue | undefined;
}

export type SearchNode =
  | { kind: 'and' | 'or'; items: SearchNode[] }
  | { kind: 'not'; item: SearchNode }
  | { kind: 'term'; text: string; quoted: boolean }
  | { kind: 'cmp'; field: string; op: '=' | '!='; value: string };

export class SearchModelError extends Error {
  override name = 'SearchModelError';
}

type Token =
  | { t: '(' }
  | { t: ')' }
  | { t: 'word'; text: string }
  | { t: 'phrase'; text: string }
  | { t: 'cmp'; node: SearchNode };

function readQuoted(s: string, i: number): [string, number] {
  let out = '';
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\\' && j + 1 < s.length) {
      out += s[++j];
      continue;
    }
    if (c === '"') return [out, j + 1];
    out += c;
  }
  throw new SearchModelError(`unterminated quote in ${JSON.stringify(s.slice(i, i + 40))}`);
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push(c === '(' ? { t: '(' } : { t: ')' });
      i++;
    } else if (c === '"') {
      const [text, next] = readQuoted(s, i);
      out.push({ t: 'phrase', text });
      i = next;
    } else {
      let j = i;
      while (j < s.length && !/[\s()"]/.test(s[j])) j++;
      const word = s.slice(i, j);
      const cmp = /^([A-Za-z_][\w.:]*)(!?=)(.*)$/.exec(word);
      if (cmp) {
        let value = cmp[3];
        if (value === '' && s[j] === '"') [value, j] = readQuoted(s, j);
        out.push({ t: 'cmp', node: { kind: 'cmp', field: cmp[1], op: cmp[2] as '=' | '!=', value } });
      } else out.push({ t: 'word', text: word });
      i = j;
    }
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  parse(): SearchNode {
    const n = this.and();
    if (this.i < this.toks.length) throw new SearchModelError(`unexpected token at ${this.i}`);
    return n;
  }

  private peekWord(w: string): boolean {
    const t = this.toks[this.i];
    return t !== undefined && t.t === 'word' && t.text === w;
  }

  private and(): SearchNode {
    const items = [this.or()];
    for (;;) {
      if (this.peekWord('AND')) this.i++;
      const t = this.toks[this.i];
      if (t === undefined || t.t === ')') break;
      items.push(this.or());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private or(): SearchNode {
    const items = [this.not()];
    while (this.peekWord('OR')) {
      this.i++;
      items.push(this.not());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private not(): SearchNode {
    if (this.peekWord('NOT')) {
      this.i++;
      return { kind: 'not', item: this.not() };
    }
    return this.primary();
  }

  private primary(): SearchNode {
    const t = this.toks[this.i++];
    if (t === undefined) throw new SearchModelError('unexpected end of search');
    if (t.t === '(') {
      const n = this.and();
      if (this.toks[this.i++]?.t !== ')') throw new SearchModelError('missing )');
      return n;
    }
    if (t.t === ')') throw new SearchModelError('unexpected )');
    if (t.t === 'cmp') return t.node;
    return { kind: 'term', text: t.text, quoted: t.t === 'phrase' };
  }
}

export function parseSearch(spl: string): SearchNode {
  return new Parser(tokenize(spl)).parse();
}

function wildcardRegExp(pattern: string): RegExp {
  const src = pattern
    .split('*')
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${src}$`, 'i');
}

interface Ctx {
  ev: SearchEvent;
  terms?: Set<string>;
  lowerRaw?: string;
}

function termMatches(ctx: Ctx, text: string): boolean {
  const raw = ctx.ev._raw;
  if (raw === undefined) return false;
  ctx.terms ??= indexedTerms(raw);
  ctx.lowerRaw ??= raw.toLowerCase();
  const lower = text.toLowerCase();
  const star = lower.indexOf('*');
  if (star >= 0) {
    const prefix = lower.slice(0, -1);
    if (star !== lower.length - 1 || prefix === '' || hasBreaker(prefix))
      throw new SearchModelError(`only a trailing * after a term without breakers is modelled: ${text}`);
    for (const t of ctx.terms) if (t.startsWith(prefix)) return true;
    return false;
  }
  if (!hasBreaker(lower)) return ctx.terms.has(lower);
  const parts = termParts(lower);
  return parts.length > 0 && parts.every((p) => ctx.terms!.has(p)) && ctx.lowerRaw.includes(lower);
}

function fieldValues(ev: SearchEvent, field: string): readonly string[] | undefined {
  const v = ev[field];
  if (v === undefined) return field === 'index' ? ['main'] : undefined;
  return typeof v === 'string' ? [v] : v;
}

function evaluate(n: SearchNode, ctx: Ctx): boolean {
  switch (n.kind) {
    case 'and':
      return n.items.every((x) => evaluate(x, ctx));
    case 'or':
      return n.items.some((x) => evaluate(x, ctx));
    case 'not':
      return !evaluate(n.item, ctx);
    case 'term':
      return termMatches(ctx, n.text);
    case 'cmp': {
      const values = fieldValues(ctx.ev, n.field);
      if (values === undefined) return false;
      const re = wildcardRegExp(n.value);
      const hit = values.some((v) => re.test(v));
      return n.op === '=' ? hit : !hit;
    }
  }
}

/** Whether `search <spl>` (macros already expanded, no pipes) keeps the event. */
export function searchMatches(spl: string | SearchNode, ev: SearchEvent): boolean {
  const node = typeof spl === 'string' ? parseSearch(spl) : spl;
  return evaluate(node, { ev });
}

/** The first base-search clause (before the first pipe), for `search` semantics. */
export function baseSearchOf(expanded: string): string {
  let q = false;
  let depth = 0;
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i];
    if (q) {
      if (c === '\\') i++;
      else if (c === '"') q = false;
    } else if (c === '"') q = true;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '|' && depth === 0) return expanded.slice(0, i);
  }
  return expanded;
}
