/** Test helpers: read the real samples in test/fixtures/samples and cut events out of them. */
import * as fs from 'fs';
import * as path from 'path';
import { FieldGetter } from '../../src/telemetry/types';

export const SAMPLES = path.resolve(__dirname, '..', 'fixtures', 'samples');

export function sample(rel: string): string {
  return fs.readFileSync(path.join(SAMPLES, rel), 'utf8');
}

export function sampleLines(rel: string): string[] {
  return sample(rel)
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The records (lines) of one audit event, by serial, from a RAW/ENRICHED log. */
export function auditRecords(rel: string, serial: string): string[] {
  const lines = sampleLines(rel).filter((l) => l.includes(`:${serial}):`));
  if (lines.length === 0) throw new Error(`no records with serial ${serial} in ${rel}`);
  return lines;
}

/** One `ausearch -i` event block (the lines between `----` separators) holding the serial. */
export function ausearchBlock(serial: string): string {
  const blocks = sample('lab/auditd_ausearch_i.log').split(/^----\n/m);
  const b = blocks.find((x) => x.includes(`:${serial}) :`));
  if (!b) throw new Error(`no ausearch block for ${serial}`);
  return b.replace(/\n$/, '');
}

export function getterOf(fields: Record<string, string | undefined>): FieldGetter {
  return (name) => {
    const v = fields[name];
    return v === undefined || v === '' ? undefined : v;
  };
}

/** The step commands of lab/steps.txt, by label. */
export function labSteps(): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^### (\S+)\nCMD: (.*)$/gm;
  const text = sample('lab/steps.txt');
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]] = m[2];
  return out;
}
