/** needleFinder (the pre-pass's needle search) answers exactly what Buffer.indexOf does, in both of its modes. */
import fc from 'fast-check';
import { needleFinder } from '../../src/scp/row-scan';

const NEEDLE = Buffer.from('msg=audit(', 'latin1');

function allHits(find: (from: number) => number, length: number, step: number): number[] {
  const out: number[] = [];
  for (let from = 0; from <= length; from += step) out.push(find(from));
  return out;
}

describe('row-scan-needle', () => {
  test('property: same positions as indexOf from every offset, text with or without many last bytes', () => {
    const piece = fc.constantFrom('msg=audit(', 'msg=audit', 'sg=audit(', '(', '((', 'x', 'audit(', 'msg=', 'm');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const body = Buffer.from(pieces.join(''), 'latin1');
        const find = needleFinder(body, NEEDLE);
        expect(allHits(find, body.length, 1)).toEqual(allHits((f) => body.indexOf(NEEDLE, f), body.length, 1));
      }),
      { numRuns: 300 },
    );
  });

  test('parens-everywhere: frequent last bytes switch to the whole-needle search, same answers', () => {
    const body = Buffer.from('(x'.repeat(5000) + 'msg=audit(1)' + '((('.repeat(3000) + 'msg=audit(2)', 'latin1');
    const find = needleFinder(body, NEEDLE);
    const expected = allHits((f) => body.indexOf(NEEDLE, f), body.length, 97);
    expect(expected).toContain(10000);
    expect(allHits(find, body.length, 97)).toEqual(expected);
  });
});
