/**
 * Validation of .conf stanzas and keys against Splunk's .spec files (test/fixtures/splunk-spec/).
 * A spec line `key = <type>` outside comments declares a setting; `<...>` placeholders in stanza names
 * and keys match any text. Keys before the first stanza header of a spec are global (valid everywhere).
 */
import { ConfFile } from './conf';

interface SpecKey {
  raw: string;
  re: RegExp;
  valueSpec: string;
}

interface SpecStanza {
  raw: string;
  re: RegExp;
  literalChars: number;
  keys: SpecKey[];
}

export interface Spec {
  name: string;
  globals: SpecKey[];
  stanzas: SpecStanza[];
  /** .meta specs only show example stanzas: every key is valid in every stanza. */
  anyStanza: boolean;
}

function patternToRegExp(p: string): RegExp {
  const parts = p.split(/(<[^>]*>)/);
  const src = parts
    .map((part) => (part.startsWith('<') && part.endsWith('>') ? '.+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${src}$`);
}

export function parseSpec(name: string, text: string): Spec {
  const spec: Spec = { name, globals: [], stanzas: [], anyStanza: name.endsWith('.meta.spec') };
  let current: SpecStanza | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || /^[\s#*]/.test(line)) continue;
    const st = /^\[(.*)\]\s*$/.exec(line);
    if (st) {
      const literalChars = st[1].replace(/<[^>]*>/g, '').length;
      current = { raw: st[1], re: patternToRegExp(st[1]), literalChars, keys: [] };
      spec.stanzas.push(current);
      continue;
    }
    const kv = /^([^=\s][^=]*?)\s*=(.*)$/.exec(line);
    if (!kv) continue;
    const key: SpecKey = { raw: kv[1], re: patternToRegExp(kv[1]), valueSpec: kv[2].trim() };
    (current ? current.keys : spec.globals).push(key);
  }
  return spec;
}

export interface SpecFinding {
  line: number;
  message: string;
}

/** The spec stanzas that govern a conf stanza: literal matches first, else the most specific pattern. */
function governing(spec: Spec, stanza: string): SpecStanza[] | null {
  if (spec.anyStanza) return spec.stanzas;
  if (spec.stanzas.length === 0) return [];
  const literal = spec.stanzas.filter((s) => s.raw === stanza);
  if (literal.length) return literal;
  const matching = spec.stanzas.filter((s) => s.re.test(stanza));
  if (!matching.length) return null;
  const best = Math.max(...matching.map((s) => s.literalChars));
  return matching.filter((s) => s.literalChars === best);
}

const BOOL = /^(true|false|t|f|1|0|yes|no)$/i;

/** Checks a value against simple spec value forms: <boolean>, <integer>, and literal alternatives a | b. */
export function checkValue(valueSpec: string, value: string): string | null {
  const spec = valueSpec.replace(/^\[\s*(.*?)\s*\]$/, '$1').replace(/^\{(.*)\}$/, '$1');
  if (/[(),]/.test(spec) || spec === '') return null;
  const alts = spec
    .split('|')
    .map((a) => a.trim())
    .filter(Boolean);
  const ok = alts.some((a) => {
    if (/^<boolean>$/i.test(a)) return BOOL.test(value);
    if (/^<(unsigned |positive )?integer>$/i.test(a))
      return /^[+-]?\d+$/.test(value) && !(/unsigned|positive/.test(a) && value.startsWith('-'));
    if (a.includes('<')) return true;
    return a.toLowerCase() === value.toLowerCase();
  });
  return ok ? null : `value ${JSON.stringify(value)} is not one of: ${valueSpec}`;
}

export function validateAgainstSpec(conf: ConfFile, spec: Spec): SpecFinding[] {
  const out: SpecFinding[] = [];
  for (const p of conf.problems) out.push({ line: p.line, message: p.message });
  for (const stanza of conf.stanzas) {
    const gov = governing(spec, stanza.name);
    if (gov === null) {
      out.push({ line: stanza.line, message: `stanza [${stanza.name}] is not documented in ${spec.name}` });
      continue;
    }
    const seen = new Set<string>();
    const candidates = [...gov.flatMap((s) => s.keys), ...spec.globals];
    for (const e of stanza.entries) {
      if (seen.has(e.key)) out.push({ line: e.line, message: `[${stanza.name}] sets "${e.key}" twice` });
      seen.add(e.key);
      // A literal key wins; otherwise every matching pattern is a candidate and one accepting the value suffices
      // (e.g. action.<action_name> = <boolean> and action.<action_name>.<parameter> = <value>).
      const literal = candidates.filter((k) => k.raw === e.key);
      const hits = literal.length ? literal : candidates.filter((k) => k.re.test(e.key));
      if (!hits.length) {
        out.push({ line: e.line, message: `[${stanza.name}] key "${e.key}" is not a setting in ${spec.name}` });
        continue;
      }
      if (spec.anyStanza) continue; // .meta specs show example values only
      const errors = hits.map((k) => checkValue(k.valueSpec, e.value));
      if (errors.every((x) => x !== null))
        out.push({ line: e.line, message: `[${stanza.name}] ${e.key}: ${errors[0]}` });
    }
  }
  return out;
}
