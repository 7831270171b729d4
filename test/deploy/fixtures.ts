/** The splunkd response fixtures (test/fixtures/splunkd, sources in PROVENANCE.md there) and their shapes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTable } from '../../src/scp/csv';

const FIX = join(__dirname, '..', 'fixtures', 'splunkd');

function subst(s: string, vars: Record<string, string>, esc: (v: string) => string): string {
  return s.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => esc(vars[k] ?? ''));
}
function deepSubst(v: unknown, vars: Record<string, string>): unknown {
  if (typeof v === 'string') return subst(v, vars, (x) => x);
  if (Array.isArray(v)) return v.map((x) => deepSubst(x, vars));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepSubst(x, vars)]));
  return v;
}
/** Reads a JSON fixture; `T` is the shape the caller relies on (the fixtures are described in PROVENANCE.md). */
export function fixtureJson<T>(name: string, vars: Record<string, string> = {}): T {
  return deepSubst(JSON.parse(readFileSync(join(FIX, name), 'utf8')), vars) as T;
}

/** Shapes of the fixtures the fake edits or the tests read. */
export interface EntryFeed {
  entry: { name: string; content: Record<string, unknown> & { version?: string } }[];
}
export interface MessagesBody {
  messages: { type: string; text: string }[];
}
export interface OneshotBody extends MessagesBody {
  fields: { name: string }[];
  results: Record<string, string | string[]>[];
}
export function fixtureXml(name: string, vars: Record<string, string> = {}): string {
  const x = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return subst(readFileSync(join(FIX, name), 'utf8'), vars, x);
}

/** CSV rows as records, empty values left out. */
export function parseRows(csv: string): Record<string, string>[] {
  const out = parseTable(csv);
  return out.rows.map((r) =>
    Object.fromEntries(out.fields.map((f, i): [string, string] => [f, r[i]]).filter(([, v]) => v !== '')),
  );
}
