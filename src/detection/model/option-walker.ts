/**
 * One option walker for every CLI in the catalogue: `-x v`, `-xv`, `-x=v`, `-abx v` (clustered flags,
 * the last taking a value), `--name v`, `--name=v`, `--` (end of options). Which options take a value
 * comes from a catalogue spec (`'-f|--file -t|--tag --label'`), compiled once at module load.
 * Linear in argv; at most MAX_ARGS words are looked at.
 */

export const MAX_ARGS = 4096;

export interface OptSpec {
  /** alias → canonical name (the first alias written in the spec). */
  readonly canon: ReadonlyMap<string, string>;
  /** Canonical names of the options that take a value. */
  readonly takesValue: ReadonlySet<string>;
}

/** Compiles `'-f|--file -t|--tag --label'` (value-taking options) and optional flag aliases (`'-q|--quiet'`). */
export function optSpec(values: string, flags = ''): OptSpec {
  const canon = new Map<string, string>();
  const takesValue = new Set<string>();
  const add = (group: string, value: boolean): void => {
    const names = group.split('|');
    for (const n of names) canon.set(n, names[0]);
    if (value) takesValue.add(names[0]);
  };
  for (const g of values.split(/\s+/)) if (g) add(g, true);
  for (const g of flags.split(/\s+/)) if (g) add(g, false);
  return { canon, takesValue };
}

export interface Opt {
  /** Canonical name (`-f` for `--file` when the spec says `-f|--file`); unknown options keep their own name. */
  name: string;
  value?: string;
  /** The option as typed (`-f /tmp/D`, `--file=/tmp/D`), for reasons. */
  shown: string;
}

export interface Walked {
  opts: Opt[];
  positionals: string[];
  /** Index after the last word consumed. */
  next: number;
}

/**
 * Reads options and positionals from argv[start]. With `stopAtPositional`, stops at the first positional
 * (global options before a subcommand) and returns its index in `next`.
 */
export function walkOptions(argv: readonly string[], start: number, spec: OptSpec, stopAtPositional = false): Walked {
  const opts: Opt[] = [];
  const positionals: string[] = [];
  const end = Math.min(argv.length, MAX_ARGS);
  let j = start;
  for (; j < end; j++) {
    const t = argv[j];
    if (t === '--') {
      if (stopAtPositional) return { opts, positionals, next: j + 1 };
      for (let k = j + 1; k < end; k++) positionals.push(argv[k]);
      j = end;
      break;
    }
    if (t.length > 2 && t.startsWith('--')) {
      const eq = t.indexOf('=');
      const raw = eq < 0 ? t : t.slice(0, eq);
      const name = spec.canon.get(raw) ?? raw;
      if (eq >= 0) opts.push({ name, value: t.slice(eq + 1), shown: t });
      else if (spec.takesValue.has(name) && j + 1 < end) {
        opts.push({ name, value: argv[j + 1], shown: `${t} ${argv[j + 1]}` });
        j++;
      } else opts.push({ name, shown: t });
      continue;
    }
    if (t.length > 1 && t[0] === '-') {
      let taken = false;
      for (let k = 1; k < t.length; k++) {
        const short = '-' + t[k];
        const name = spec.canon.get(short) ?? short;
        if (!spec.takesValue.has(name)) {
          opts.push({ name, shown: short });
          continue;
        }
        let value = t.slice(k + 1);
        let shown = t;
        if (value.startsWith('=')) value = value.slice(1);
        if (value === '' && k === t.length - 1 && j + 1 < end) {
          value = argv[j + 1];
          shown = `${t} ${value}`;
          j++;
        }
        opts.push({ name, value, shown });
        taken = true;
        break;
      }
      if (!taken && t.length === 2 && stopAtPositional) continue;
      continue;
    }
    if (stopAtPositional) return { opts, positionals, next: j };
    positionals.push(t);
  }
  return { opts, positionals, next: j };
}

/** The last value of option `name` (canonical), if given. */
export function optValue(w: Walked, name: string): Opt | undefined {
  let found: Opt | undefined;
  for (const o of w.opts) if (o.name === name && o.value !== undefined) found = o;
  return found;
}

/** True when flag `name` is set (`--no-cache`, `--no-cache=true`; not `=false`). */
export function flagSet(w: Walked, name: string): Opt | undefined {
  let found: Opt | undefined;
  for (const o of w.opts) {
    if (o.name !== name) continue;
    const v = o.value;
    found = v === undefined || v === '' || /^(?:1|true|yes)$/i.test(v) ? o : undefined;
  }
  return found;
}
