/** `name=value` options as splunkd passes them in getinfo `searchinfo.args`. */

export class OptionError extends Error {
  override name = 'OptionError';
}

export interface OptionSpec<T> {
  /** Converts the raw text; throws OptionError (or any Error) with a user-facing reason. */
  parse(value: string): T;
  /** Shown in error messages, e.g. "seed|default". */
  syntax: string;
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>;
export type ParsedOptions<S extends OptionSpecs> = { [K in keyof S]?: ReturnType<S[K]['parse']> };

export function parseOptions<S extends OptionSpecs>(
  command: string,
  specs: S,
  args: readonly unknown[],
): ParsedOptions<S> {
  const out: Record<string, unknown> = {};
  const valid = Object.keys(specs)
    .map((k) => `${k}=<${specs[k].syntax}>`)
    .join(', ');
  for (const arg of args) {
    if (typeof arg !== 'string') throw new OptionError(`${command}: arguments must be strings`);
    const eq = arg.indexOf('=');
    if (eq <= 0) {
      throw new OptionError(`${command}: unexpected argument "${arg}". Options are name=value: ${valid || 'none'}`);
    }
    const name = arg.slice(0, eq).trim().toLowerCase();
    const raw = arg.slice(eq + 1);
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (!spec) throw new OptionError(`${command}: unknown option "${name}". Valid options: ${valid || 'none'}`);
    if (name in out) throw new OptionError(`${command}: option "${name}" given twice`);
    try {
      out[name] = spec.parse(raw);
    } catch (e) {
      throw new OptionError(
        `${command}: invalid value "${raw}" for ${name}: ${(e as Error).message} (expected ${spec.syntax})`,
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
