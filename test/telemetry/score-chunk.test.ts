/** The command's streamed fast path and the reference codec give the same reply on real sample events, both modes. */
import { defaultT1612Options } from '../../src/command/options';
import { scoreChunk, scoreChunkStreamed } from '../../src/command/score-chunk';
import { parseTable, serializeRow } from '../../src/scp/csv';
import { collectEvents } from '../../src/scan/scan';
import { SAMPLES } from './samples';
import { streamedText } from '../helpers/scp';

test.each(['default', 'seed'] as const)('mode=%s: streamed == reference on every sample file', (mode) => {
  const { events } = collectEvents([SAMPLES]);
  expect(events.length).toBeGreaterThan(500);
  const fields = [...new Set(events.flatMap((e) => Object.keys(e.fields)))];
  const body = Buffer.from(
    serializeRow(fields) + events.map((e) => serializeRow(fields.map((f) => e.fields[f] ?? ''))).join(''),
    'utf8',
  );
  for (const minScore of [0, 2]) {
    const ref = scoreChunk(body, { ...defaultT1612Options(mode), minScore });
    expect(streamedText(scoreChunkStreamed(body, { ...defaultT1612Options(mode), minScore }))).toBe(ref);
    const t = parseTable(ref);
    const risk = t.fields.indexOf('risk_score');
    expect(t.rows.length).toBeGreaterThan(minScore === 0 ? 500 : 0);
    if (minScore === 2) expect(t.rows.every((r) => Number(r[risk]) >= 2)).toBe(true);
    else expect(t.rows.length).toBe(events.length);
  }
  // the lab's t1 build (sudo docker build --no-cache … /tmp/atomictest_t1612) is among the alerts
  const alerts = scoreChunk(body, { ...defaultT1612Options(mode), minScore: 2 });
  expect(alerts).toContain('build --no-cache -t atomictest_t1612 /tmp/atomictest_t1612');
});
