/**
 * RowMatcher (Row.matches on the fast path) answers exactly what the regex says on each row's own
 * bytes read as latin1, for literal alternations (windowed scan) and any other regex (per-row text).
 */
import fc from 'fast-check';
import { serializeTable } from '../../src/scp/csv';
import { CsvChunk } from '../../src/scp/csv-chunk';
import { RowMatcher, testText } from '../../src/scp/row-match';

/** A regex that offers the parts it is the union of (as the evidence prefilter does). */
function either(first: RegExp, second: RegExp): RegExp {
  return Object.assign(new RegExp(`${first.source}|${second.source}`, 'i'), { parts: [first, second] });
}

const REGEXES = [
  /docker|podman|buildah|2375|646F636B6572|calling |form data/i,
  either(/build(?:ah|x)|docker|23(?:75|76)|646F636B6572/i, /\b(?:b c|_x)\b|''[a-z]|dock[e]r/i),
  /\bdocker\b|2375/i,
  /d(?:o|0)cker|[2-3]375/,
  /docker/i,
  /docker|2375/,
  /ab|b c|_x/,
  /do.ker/i, // not a literal alternation: per-row text
  /^x/, // anchored: per-row text
];
const piece = fc.constantFrom(
  'docker',
  'DoCkEr',
  'dock',
  'er',
  '2375',
  '237',
  '646F636B6572',
  'calling ',
  'form data',
  'a',
  'b c',
  '_x',
  ',',
  '"',
  '\n',
  '\r\n',
  'ท',
  ' ',
  'x',
);
const cell = fc.array(piece, { maxLength: 6 }).map((a) => a.join(''));

function rowsOf(body: Buffer): [number, number][] {
  const c = new CsvChunk(body);
  const out: [number, number][] = [];
  while (c.next()) out.push([c.rowStart, c.rowEnd]);
  return out;
}

describe('row-match', () => {
  test('property: same answer as the regex on the row text, row by row, for every regex', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { maxLength: 12 }), (rows) => {
        const body = Buffer.from(serializeTable({ fields: ['f1', 'f2'], rows }), 'utf8');
        const ranges = rowsOf(body);
        const m = new RowMatcher(body);
        for (const [s, e] of ranges)
          for (const re of REGEXES) expect(m.test(re, s, e)).toBe(re.test(body.toString('latin1', s, e)));
      }),
      { numRuns: 300 },
    );
  });

  test('a matched text tried first on later rows: same answers when rows stop matching, and after the backoff', () => {
    const rows: string[][] = [];
    for (let i = 0; i < 400; i++) {
      const k =
        i % 97 < 40 ? 'docker x' : i % 97 < 60 ? 'DOCKER' : i % 97 < 70 ? '2375' : i % 5 === 0 ? 'b c' : 'nothing';
      // the match moves inside the row (before and after where the last row had it)
      const pad = 'z'.repeat((i * 37) % 211);
      rows.push(i % 3 === 0 ? [pad + k, i % 7 === 0 ? 'podman' : 'y'] : [k, pad + (i % 7 === 0 ? 'podman' : 'y')]);
    }
    const body = Buffer.from(serializeTable({ fields: ['f1', 'f2'], rows }), 'utf8');
    for (const re of REGEXES) {
      const m = new RowMatcher(body);
      for (const [s, e] of rowsOf(body)) expect(m.test(re, s, e)).toBe(re.test(body.toString('latin1', s, e)));
    }
  });

  test('rows longer than the 1 MB window and matches on both sides of a window edge', () => {
    const big = 'y'.repeat((1 << 20) + 5);
    const rows = [
      ['docker', big],
      [big, 'x'],
      ['a', big + 'podman'],
      ['z', 'zz'],
      [big.slice(0, (1 << 20) - 3), 'buildah'],
    ];
    const body = Buffer.from(serializeTable({ fields: ['f1', 'f2'], rows }), 'utf8');
    const m = new RowMatcher(body);
    const re = REGEXES[0];
    expect(rowsOf(body).map(([s, e]) => m.test(re, s, e))).toEqual([true, false, true, false, true]);
  });
});

describe('row-match-text', () => {
  test('property: testText answers what the regex answers on any text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const text = pieces.join('');
        for (const re of REGEXES) expect(testText(re, text)).toBe(re.test(text));
      }),
      { numRuns: 300 },
    );
  });
});
