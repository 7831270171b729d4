/** `name=value` options as splunkd passes them in getinfo `searchinfo.args`. */

export class OptionError extends Error {
  override name = 'OptionError';
}

export interface OptionSpec<T> {
  /** Converts the raw text; throws OptionError (or any Error) with a user-facing reason. */
  parse(value: string): T;
  /** Shown in error messages, e.g. "seed|default". */
  syntax: string;
  /** Keys this option's value sets in the getinfo reply (e.g. the command `type`). */
  getinfo?(value: T): Record<string, unknown>;
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>;
export type ParsedOptions<S extends OptionSpecs> = { [K in keyof S]?: ReturnType<S[K]['parse']> };

/** Longest piece of a user-typed value an error message quotes (a value can be megabytes). */
export const QUOTE_MAX_CHARS = 40;

/** `"value"`, or `"first 40 chars…" (N chars)` when longer; control characters escaped. */
export function quoteValue(value: string, max = QUOTE_MAX_CHARS): string {
  const head = value.length > max ? value.slice(0, max) : value;
  const quoted = JSON.stringify(head);
  return value.length > max ? `${quoted.slice(0, -1)}…" (${value.length} chars)` : quoted;
}

/**
 * `name=<syntax>, …` for error messages; a family of options sharing a prefix and a syntax
 * (`weight_a`, `weight_b`, …) is listed once as `weight_<a|b|…>=<syntax>` to keep errors short.
 */
function describeOptions(specs: Record<string, OptionSpec<unknown>>): string {
  const families = new Map<string, string[]>();
  const parts: string[] = [];
  for (const k of Object.keys(specs)) {
    const u = k.indexOf('_');
    const key = u > 0 ? `${k.slice(0, u + 1)}\u0000${specs[k].syntax}` : '';
    const fam = key === '' ? undefined : families.get(key);
    if (fam) fam.push(k.slice(k.indexOf('_') + 1));
    else {
      const members = [k.slice(u + 1)];
      if (key !== '') families.set(key, members);
      parts.push(key === '' ? k : key);
    }
  }
  return parts
    .map((p) => {
      const members = families.get(p);
      if (members === undefined) return `${p}=<${specs[p].syntax}>`;
      const [prefix, syntax] = p.split('\u0000');
      return members.length === 1
        ? `${prefix}${members[0]}=<${syntax}>`
        : `${prefix}<${members.join('|')}>=<${syntax}>`;
    })
    .join(', ');
}

/** The getinfo keys the given option values declare, in declaration order. */
export function getinfoOf<S extends OptionSpecs>(specs: S, parsed: ParsedOptions<S>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(specs)) {
    const spec = specs[name];
    const value = parsed[name];
    if (spec.getinfo && value !== undefined) Object.assign(out, spec.getinfo(value));
  }
  return out;
}

export function parseOptions<S extends OptionSpecs>(
  command: string,
  specs: S,
  args: readonly unknown[],
): ParsedOptions<S> {
  const out: Record<string, unknown> = {};
  const valid = describeOptions(specs);
  for (const arg of args) {
    if (typeof arg !== 'string') throw new OptionError(`${command}: arguments must be strings`);
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      throw new OptionError(
        `${command}: unexpected argument ${quoteValue(arg)}. Options are name=value: ${valid || 'none'}`,
      );
    }
    const name = arg.slice(0, eq).trim().toLowerCase();
    const raw = arg.slice(eq + 1);
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (!spec)
      throw new OptionError(`${command}: unknown option ${quoteValue(name)}. Valid options: ${valid || 'none'}`);
    if (name in out) throw new OptionError(`${command}: option "${name}" given twice`);
    try {
      out[name] = spec.parse(raw);
    } catch (e) {
      throw new OptionError(
        `${command}: invalid value ${quoteValue(raw)} for ${name}: ${(e as Error).message} (expected ${spec.syntax})`,
      );
    }
  }
  return out as ParsedOptions<S>;
}

export function enumOption<T extends string>(values: readonly T[]): OptionSpec<T> {
  return {
    syntax: values.join('|'),
    parse(v) {
      const lower = v.trim().toLowerCase();
      const hit = values.find((x) => x === lower);
      if (!hit) throw new OptionError(`must be one of ${values.join(', ')}`);
      return hit;
    },
  };
}

export function intOption(min: number, max: number): OptionSpec<number> {
  return {
    syntax: 'integer',
    parse(v) {
      const t = v.trim();
      if (!/^[+-]?\d+$/.test(t)) throw new OptionError('not an integer');
      const n = Number(t);
      if (n < min || n > max) throw new OptionError(`must be between ${min} and ${max}`);
      return n;
    },
  };
}

// The truth values splunklib's Boolean validator accepts (splunklib/searchcommands/validators.py).
const TRUTH: Record<string, boolean> = {
  '1': true,
  t: true,
  true: true,
  y: true,
  yes: true,
  '0': false,
  f: false,
  false: false,
  n: false,
  no: false,
};

export function boolOption(): OptionSpec<boolean> {
  return {
    syntax: 'true|false',
    parse(v) {
      const hit = TRUTH[v.trim().toLowerCase()];
      if (hit === undefined) throw new OptionError('not a boolean (true/false, t/f, yes/no, 1/0)');
      return hit;
    },
  };
}
