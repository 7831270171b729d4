/** LiteralScanner finds exactly what the regex finds on the bytes read as latin1, and gives up on crowded text. */
import fc from 'fast-check';
import { LiteralScanner } from '../../src/scp/literal-scan';
import { RowMatcher } from '../../src/scp/row-match';

const piece = fc.constantFrom(
  'docker',
  'DoCkEr',
  'dock',
  'ker',
  'k',
  'K',
  'KKK',
  'er',
  'ſ',
  'ท',
  'Ä',
  ' ',
  '_',
  '9',
  ',',
);

function regexFrom(re: RegExp, text: string, from: number): number {
  const g = new RegExp(re.source, re.flags + 'g');
  g.lastIndex = from;
  const m = g.exec(text);
  return m === null ? -1 : m.index;
}

describe('literal-scan', () => {
  test('property: the next occurrence from every offset is where the regex finds it', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }),
        fc.constantFrom(/docker/i, /docker/, /KER/i, /k_ 9/i),
        (pieces, re) => {
          const buf = Buffer.from(pieces.join(''), 'utf8');
          const text = buf.toString('latin1');
          const scanner = new LiteralScanner(buf, re.source, re.flags === 'i');
          for (let from = 0; from <= buf.length; from++) {
            const got = scanner.find(from);
            if (got === undefined) return; // gave up: the row matcher goes back to the regex
            expect(got).toBe(regexFrom(re, text, from));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('k-everywhere: gives up when the anchor byte is frequent; the row matcher still answers as the regex', () => {
    const rows = Array.from({ length: 400 }, (_, i) => (i % 50 === 47 ? 'kkk docker kkk' : 'k'.repeat(i % 30) + 'x'));
    const body = Buffer.from(rows.join('\n') + '\n', 'latin1');
    expect(new LiteralScanner(body, 'docker', true).find(0)).toBeUndefined();
    const m = new RowMatcher(body);
    let start = 0;
    for (const r of rows) {
      const end = start + r.length;
      expect(m.test(/docker/i, start, end)).toBe(/docker/i.test(r));
      start = end + 1;
    }
  });
});
