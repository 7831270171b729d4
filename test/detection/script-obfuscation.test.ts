/**
 * `script-obfuscation-through-the-fast-path`: builder names split by quotes or backslashes inside a shell
 * `-c` script (corpus cases ev-101…107, provenance in test/corpus/evasion.jsonl), streamed through the
 * command's fast path — the row matcher's gated prefilter part must let them reach the model, and ordinary
 * scripts with quotes between letters must not alert.
 */
import { loadCorpus } from '../corpus/load';
import { defaultScoreOptions } from '../../src/pipeline/score-event';
import { StreamScorer } from '../../src/pipeline/stream';
import { parseTable, serializeRow } from '../../src/scp/csv';
import { transformChunk } from '../../src/scp/row-stream';
import { streamedText } from '../helpers/scp';

const IDS = ['ev-101', 'ev-102', 'ev-103', 'ev-104', 'ev-105', 'ev-106', 'ev-107'];

test('quote/escape-split builder names in -c scripts alert through the fast path; ordinary quoted scripts do not', () => {
  const cases = loadCorpus().filter((c) => IDS.includes(c.id));
  expect(cases.map((c) => c.id).sort()).toEqual(IDS);
  const names = [...new Set(cases.flatMap((c) => Object.keys(c.event)))];
  const value = (v: unknown) => (Array.isArray(v) ? v.join('\n') : (v as string | undefined));
  const body = serializeRow(names) + cases.map((c) => serializeRow(names.map((n) => value(c.event[n])))).join('');
  const out = parseTable(
    streamedText(new StreamScorer(defaultScoreOptions()).scoreChunk(Buffer.from(body), transformChunk)),
  );
  const alert = out.fields.indexOf('alert_detail');
  const got = Object.fromEntries(cases.map((c, i) => [c.id, alert >= 0 && out.rows[i][alert] !== '']));
  const want = Object.fromEntries(cases.map((c) => [c.id, c.label === 'attack']));
  expect(got).toEqual(want);
});
