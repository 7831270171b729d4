/**
 * The labelled corpus: test/corpus/*.jsonl, one case per line —
 * `{"id","family","label":"attack"|"benign","ambiguous","provenance","event":{field: value | value[]}}`,
 * `event` being the event as Splunk hands it to the command (multivalue fields as arrays).
 * Provenance names the public material each case is shaped on; see test/corpus/README.md.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface CorpusCase {
  id: string;
  family: string;
  label: 'attack' | 'benign';
  ambiguous: boolean;
  provenance: string;
  event: Record<string, string | string[]>;
}

export const CORPUS_DIR = __dirname;

export function loadCorpus(dir = CORPUS_DIR): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const c = JSON.parse(line) as CorpusCase;
      if (!c.id || !c.family || (c.label !== 'attack' && c.label !== 'benign') || !c.provenance || !c.event)
        throw new Error(`${f}:${i + 1}: not a corpus case`);
      out.push(c);
    });
  }
  return out;
}

/** A FieldGetter over a case's event, as the command sees it (multivalues LF-joined, empty = absent). */
export function getterOf(event: CorpusCase['event']): (name: string) => string | undefined {
  return (name) => {
    const v = event[name];
    if (v === undefined) return undefined;
    const s = Array.isArray(v) ? v.join('\n') : v;
    return s === '' ? undefined : s;
  };
}
