/** Test helpers: the app's macros.conf and savedsearches.conf as committed, macros expanded like the lint does. */
import * as fs from 'fs';
import * as path from 'path';
import { ConfFile, parseConf, stanzaMap } from '../../src/packaging/conf';
import { expandMacros, Macros, macrosOf } from '../../src/packaging/spl';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MACROS_PATH = path.join(ROOT, 'default', 'macros.conf');
export const SAVEDSEARCHES_PATH = path.join(ROOT, 'default', 'savedsearches.conf');

export function readConf(p: string): ConfFile {
  return parseConf(fs.readFileSync(p, 'utf8'));
}

export function appMacros(): Macros {
  return macrosOf(readConf(MACROS_PATH));
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
