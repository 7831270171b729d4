/**
 * `npm run eval`: detection and false-alert rates per family of the labelled corpus (test/corpus/*.jsonl),
 * for the default mode and mode=seed, through the command's own per-event scoring (normalise + detect).
 * An event "alerts" when the default mode sets alert_detail, or, in mode=seed, when risk_score reaches the
 * seed's `where risk_score >= 2`. Usage: node build/eval.js [corpus-dir] [--list] [--threshold N].
 */
import * as fs from 'fs';
import * as path from 'path';
import { defaultT1612Options, T1612Options } from '../command/options';
import { scoreEvent } from '../pipeline/score-event';
import { makeDetectOptions } from '../detection/model';

interface Case {
  id: string;
  family: string;
  label: 'attack' | 'benign';
  ambiguous: boolean;
  event: Record<string, string | string[]>;
}

function load(dir: string): Case[] {
  const out: Case[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort())
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n'))
      if (line.trim()) out.push(JSON.parse(line) as Case);
  return out;
}

export function alerts(c: Case, options: T1612Options): boolean {
  const get = (n: string): string | undefined => {
    const v = c.event[n];
    const s = Array.isArray(v) ? v.join('\n') : v;
    return s === undefined || s === '' ? undefined : s;
  };
  const r = scoreEvent(get, options);
  if (options.mode === 'seed') return r.risk_score >= 2;
  return r.ops.some((op) => op[0] === 'alert_detail' && op[1] !== '');
}

interface Tally {
  atk: number;
  atkHit: number;
  ben: number;
  benHit: number;
}

const pct = (a: number, b: number): string => (b === 0 ? '   -  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

function report(cases: Case[], options: T1612Options, title: string, list: boolean): void {
  const fams = new Map<string, { clear: Tally; all: Tally }>();
  const total = { clear: { atk: 0, atkHit: 0, ben: 0, benHit: 0 }, all: { atk: 0, atkHit: 0, ben: 0, benHit: 0 } };
  const misses: string[] = [];
  for (const c of cases) {
    const hit = alerts(c, options);
    let t = fams.get(c.family);
    if (!t)
      fams.set(
        c.family,
        (t = { clear: { atk: 0, atkHit: 0, ben: 0, benHit: 0 }, all: { atk: 0, atkHit: 0, ben: 0, benHit: 0 } }),
      );
    for (const x of c.ambiguous ? [t.all, total.all] : [t.clear, t.all, total.clear, total.all]) {
      if (c.label === 'attack') {
        x.atk++;
        if (hit) x.atkHit++;
      } else {
        x.ben++;
        if (hit) x.benHit++;
      }
    }
    if (hit !== (c.label === 'attack'))
      misses.push(`  ${c.label === 'attack' ? 'missed' : 'false alert'}: ${c.id}${c.ambiguous ? ' (ambiguous)' : ''}`);
  }
  const row = (name: string, t: { clear: Tally; all: Tally }): string =>
    `${name.padEnd(16)} ${String(t.clear.atk).padStart(4)} ${pct(t.clear.atkHit, t.clear.atk)} ${String(t.clear.ben).padStart(4)} ${pct(t.clear.benHit, t.clear.ben)}   ${String(t.all.atk).padStart(4)} ${pct(t.all.atkHit, t.all.atk)} ${String(t.all.ben).padStart(4)} ${pct(t.all.benHit, t.all.ben)}`;
  console.log(`\n== ${title} ==`);
  console.log(`${''.padEnd(16)} ---------- unambiguous ----------   ------ incl. judgement calls ------`);
  console.log(`${'family'.padEnd(16)} atk  detect  ben  false    atk  detect  ben  false`);
  for (const [name, t] of [...fams.entries()].sort()) console.log(row(name, t));
  console.log(row('TOTAL', total));
  if (list && misses.length > 0) console.log(misses.join('\n'));
}

function main(argv: string[]): void {
  const list = argv.includes('--list');
  const ti = argv.indexOf('--threshold');
  const threshold = ti >= 0 ? Number(argv[ti + 1]) : undefined;
  const dir = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--threshold') ?? path.join('test', 'corpus');
  const cases = load(dir);
  console.log(`corpus: ${cases.length} cases from ${dir}`);
  const def = defaultT1612Options('default');
  if (threshold !== undefined) def.detect = makeDetectOptions({ threshold });
  report(cases, def, `mode=default${threshold !== undefined ? ` threshold=${threshold}` : ''}`, list);
  report(cases, defaultT1612Options('seed'), 'mode=seed', list);
}

main(process.argv.slice(2));
