import fc from 'fast-check';
import { CsvError, parseCsvRows, parseTable, serializeTable } from '../../src/scp/csv';
import { decodeMv, encodeMv, mvPair } from '../../src/scp/multivalue';
import { RecordTable } from '../../src/scp/records';

// Characters that stress the codec, mixed with arbitrary text.
const tricky = fc.constantFrom(',', '"', '\n', '\r', '\r\n', '$', '$$', ';', ' ', 'ท', '测试', '😀', 'a', '');
const cell = fc.oneof(
  fc.array(tricky, { maxLength: 6 }).map((a) => a.join('')),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

describe('Splunk CSV codec', () => {
  test('splunkd-style body: quoted header, LF ends, embedded quotes, newlines and commas', () => {
    const body = '"_time",text,"__mv__time","__mv_text"\n"1599171244.277","say ""hi"", then\nbye",,\n';
    const t = parseTable(Buffer.from(body));
    expect(t.fields).toEqual(['_time', 'text', '__mv__time', '__mv_text']);
    expect(t.rows).toEqual([['1599171244.277', 'say "hi", then\nbye', '', '']]);
  });

  test('CRLF line ends (splunklib replies) parse the same as LF', () => {
    expect(parseCsvRows('a,b\r\n1,2\r\n')).toEqual(parseCsvRows('a,b\n1,2\n'));
  });

  test('header-only body has fields and no rows; empty body has neither', () => {
    expect(parseTable('age,"_chunked_idx","__mv_age","__mv__chunked_idx"')).toEqual({
      fields: ['age', '_chunked_idx', '__mv_age', '__mv__chunked_idx'],
      rows: [],
    });
    expect(parseTable('')).toEqual({ fields: [], rows: [] });
  });

  test('a trailing empty value and short rows are kept as empty values', () => {
    expect(parseTable('a,b,c\n1,\n').rows).toEqual([['1', '', '']]);
  });

  test('bad CSV is a clear CsvError', () => {
    expect(() => parseTable('a\n"unterminated')).toThrow(CsvError);
    expect(() => parseTable('a\n"x"y\n')).toThrow(/after a quoted value/);
    expect(() => parseTable('a\n1,2\n')).toThrow(/row 1 has 2 values but the header has 1/);
  });

  test('property: any table round-trips through serialise + parse', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((w) =>
            fc.tuple(
              fc.array(cell, { minLength: w, maxLength: w }),
              fc.array(fc.array(cell, { minLength: w, maxLength: w }), { maxLength: 6 }),
            ),
          ),
        ([fields, rows]) => {
          // A one-column table whose only header is empty cannot be told from an empty body.
          fc.pre(!(fields.length === 1 && fields[0] === ''));
          const text = serializeTable({ fields, rows });
          const back = parseTable(Buffer.from(text, 'utf8'));
          expect(back.fields).toEqual(fields);
          expect(back.rows).toEqual(rows);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('multivalue encoding', () => {
  test('splunklib round-trip vector: $1$;$2$;$a$$b$', () => {
    expect(decodeMv('$1$;$2$;$a$$b$')).toEqual(['1', '2', 'a$b']);
    expect(encodeMv(['1', '2', 'a$b'])).toBe('$1$;$2$;$a$$b$');
    expect(mvPair(['1', '2', 'a$b'])).toEqual(['1\n2\na$b', '$1$;$2$;$a$$b$']);
  });

  test('real splunkd sample decodes', () => {
    expect(decodeMv('$FIREFLY-WIN$;$beatles$')).toEqual(['FIREFLY-WIN', 'beatles']);
  });

  test('one value: plain only; none: both empty', () => {
    expect(mvPair(['x'])).toEqual(['x', '']);
    expect(mvPair([])).toEqual(['', '']);
  });

  test('property: any list of values round-trips', () => {
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (values) => {
        expect(decodeMv(encodeMv(values))).toEqual(values);
      }),
      { numRuns: 500 },
    );
  });

  test('property: multivalue fields survive a full chunk round trip', () => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (lists) => {
        const table = RecordTable.parse('_raw\n' + lists.map(() => 'x\n').join(''));
        table.rows.forEach((row, i) => table.setMulti(row, 'vals', lists[i]));
        const back = RecordTable.parse(table.serialize());
        back.rows.forEach((row, i) => {
          expect(decodeMv(row[back.column('__mv_vals')])).toEqual(lists[i]);
          expect(row[back.column('vals')]).toBe(lists[i].join('\n'));
        });
      }),
      { numRuns: 200 },
    );
  });
});
