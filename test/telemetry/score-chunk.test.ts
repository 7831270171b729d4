/** The command's streamed fast path and the reference codec give the same reply on real sample events, both modes. */
import { defaultT1612Options } from '../../src/command/options';
import { scoreChunk, scoreChunkStreamed } from '../../src/command/score-chunk';
import { serializeRow } from '../../src/scp/csv';
import { collectEvents } from '../../src/scan/scan';
import * as path from 'path';
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
    expect(ref.split('\n').length).toBeGreaterThan(minScore === 0 ? 500 : 2);
  }
  expect(path.isAbsolute(SAMPLES)).toBe(true);
});
