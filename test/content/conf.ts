/** Test helpers: the app's macros.conf and savedsearches.conf as committed, macros expanded like the lint does. */
import * as fs from 'fs';
import * as path from 'path';
import { ConfFile, parseConf, stanzaMap } from '../../src/packaging/conf';
import { expandMacros, Macros } from '../../src/packaging/spl';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MACROS_PATH = path.join(ROOT, 'default', 'macros.conf');
export const SAVEDSEARCHES_PATH = path.join(ROOT, 'default', 'savedsearches.conf');

export function readConf(p: string): ConfFile {
  return parseConf(fs.readFileSync(p, 'utf8'));
}

export function appMacros(): Macros {
  const macros: Macros = new Map();
  for (const s of readConf(MACROS_PATH).stanzas) {
    const kv = stanzaMap(s);
    const args = (kv.get('args') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    macros.set(s.name, { args, definition: kv.get('definition') ?? '' });
  }
  return macros;
}

export function expand(spl: string): string {
  return expandMacros(spl, appMacros()).text;
}

/** The stanzas of savedsearches.conf by name (key -> value, last wins). */
export function savedSearches(): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const s of readConf(SAVEDSEARCHES_PATH).stanzas) out.set(s.name, stanzaMap(s));
  return out;
}
