/** A UTF-8 byte order mark before the CSV header is not part of the first field name (both codecs). */
import { parseCsvRows, parseTable } from '../../src/scp/csv';
import { CsvChunk } from '../../src/scp/csv-chunk';
import { transformTable } from '../../src/scp/records';
import { Row, transformChunk } from '../../src/scp/row-stream';
import { defaultT1612Options } from '../../src/command/options';
import { scoreChunk, scoreChunkStreamed } from '../../src/command/score-chunk';
import { serializeRow } from '../../src/scp/csv';
import { streamedText } from '../helpers/scp';
import { sampleLines } from '../telemetry/samples';

const BOM = '\uFEFF';

describe('csv-bom-before-header', () => {
  const body = `${BOM}_raw,host\n"a ""b""",h1\nc,h2\n`;

  test('reference codec: the header is _raw, not \\uFEFF_raw', () => {
    expect(parseTable(Buffer.from(body, 'utf8')).fields).toEqual(['_raw', 'host']);
    expect(parseCsvRows(`${BOM}x\n1\n`)).toEqual([['x'], ['1']]);
  });

  test('fast path: the header is _raw and get("_raw") reads the value', () => {
    const chunk = new CsvChunk(Buffer.from(body, 'utf8'));
    expect(chunk.fields).toEqual(['_raw', 'host']);
    const seen: (string | undefined)[] = [];
    const visit = (row: Row) => {
      seen.push(row.get('_raw'));
      row.set('n', '1');
      return true;
    };
    const fast = streamedText(transformChunk(Buffer.from(body, 'utf8'), visit));
    expect(seen).toEqual(['a "b"', 'c']);
    const slow = transformTable(Buffer.from(body, 'utf8'), visit);
    expect(fast).toBe(slow);
    expect(fast.startsWith('_raw,host,n\n')).toBe(true);
  });

  test('a BOM only in a value (not at the start) is data', () => {
    expect(parseTable(`a\n${BOM}x\n`).rows).toEqual([[`${BOM}x`]]);
    const chunk = new CsvChunk(Buffer.from(`a\n${BOM}x\n`, 'utf8'));
    chunk.next();
    expect(chunk.value(0)).toBe(`${BOM}x`);
  });

  test('through the command: a build event behind a BOM is scored as without it', () => {
    const line = sampleLines('lab/auditd_raw.log').find((l) => l.includes('type=EXECVE') && l.includes('6275696C64'));
    expect(line).toBeDefined();
    const plain = serializeRow(['_raw', 'sourcetype']) + serializeRow([line!, 'linux:audit']);
    for (const mode of ['default', 'seed'] as const) {
      const want = scoreChunk(plain, defaultT1612Options(mode));
      const bom = Buffer.from(BOM + plain, 'utf8');
      expect(scoreChunk(bom, defaultT1612Options(mode))).toBe(want);
      expect(streamedText(scoreChunkStreamed(bom, defaultT1612Options(mode)))).toBe(want);
    }
    expect(scoreChunk(plain, defaultT1612Options())).toMatch(/,[1-9]\d*\n$/); // risk_score > 0
  });
});
