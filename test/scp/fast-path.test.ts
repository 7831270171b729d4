/**
 * The fast path (CsvChunk + BodyBuilder + transformChunk: input bytes reused for unchanged rows)
 * must give the same reply, field for field, as full parse + re-serialisation (transformTable).
 */
import fc from 'fast-check';
import { CsvChunk } from '../../src/scp/csv-chunk';
import { parseTable, serializeTable } from '../../src/scp/csv';
import { transformTable } from '../../src/scp/records';
import { Row, transformChunk } from '../../src/scp/row-stream';
import { readRecording, splitRecording, streamedText as text } from '../helpers/scp';

const tricky = fc.constantFrom(',', '"', '\n', '\r\n', '$', ' ', 'ท', '😀', 'x', '');
const cell = fc.oneof(
  fc.array(tricky, { maxLength: 5 }).map((a) => a.join('')),
  fc.string({ maxLength: 12 }),
);

type Op = { kind: 'set' | 'multi' | 'copy' | 'drop'; field: number; value: string[] };
const op = fc.record({
  kind: fc.constantFrom('set', 'multi', 'copy', 'drop'),
  field: fc.nat(7),
  value: fc.array(cell, { minLength: 1, maxLength: 3 }),
}) as fc.Arbitrary<Op>;

function visitorFor(fields: string[], plan: Op[][]) {
  let i = 0;
  // Targets: existing input fields (edits) or new ones (appended columns), chosen per op.
  const target = (n: number) => (n < fields.length && n % 2 === 0 ? fields[n] : `new_${n % 4}`);
  return (row: Row) => {
    const ops = plan[i++ % plan.length] ?? [];
    for (const o of ops) {
      if (o.kind === 'drop') return false;
      if (o.kind === 'set') row.set(target(o.field), o.value[0]);
      if (o.kind === 'multi') row.setMulti(target(o.field), o.value);
      if (o.kind === 'copy') row.copyField(fields[o.field % fields.length], target(o.field + 1));
      // Reads after writes see the written value in both implementations.
      row.set('echo', row.get(target(o.field)) ?? '(null)');
    }
    return true;
  };
}

const asRecords = (text: Buffer | string) => {
  const t = parseTable(text);
  return { fields: t.fields, rows: t.rows };
};

describe('fast path ≡ full re-serialisation', () => {
  test('property: random chunks and random edits, drops and new multivalue columns', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((w) =>
          fc.tuple(
            fc.uniqueArray(
              fc
                .string({ minLength: 1, maxLength: 6 })
                .filter((s) => !s.startsWith('__mv_') && !s.startsWith('new_') && s !== 'echo'),
              { minLength: w, maxLength: w },
            ),
            fc.array(fc.array(cell, { minLength: w, maxLength: w }), { maxLength: 8 }),
            fc.array(fc.array(op, { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
            fc.boolean(),
          ),
        ),
        ([fields, rows, plan, crlf]) => {
          let body = serializeTable({ fields, rows });
          if (crlf) body = body.replace(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\r\n'); // CRLF row ends, not inside quotes
          const fast = text(transformChunk(Buffer.from(body), visitorFor(fields, plan)));
          const slow = transformTable(body, visitorFor(fields, plan));
          expect(asRecords(fast)).toEqual(asRecords(slow));
        },
      ),
      { numRuns: 400 },
    );
  });

  test('short rows are padded, not misaligned', () => {
    const out = transformChunk(Buffer.from('a,b,c\n1\n2,3,4\n'), (row) => {
      row.set('n', 'x');
      return true;
    });
    expect(asRecords(text(out))).toEqual({
      fields: ['a', 'b', 'c', 'n'],
      rows: [
        ['1', '', '', 'x'],
        ['2', '3', '4', 'x'],
      ],
    });
  });

  test('unchanged rows keep their exact input bytes (splunkd quoting preserved)', () => {
    const input = '"_time",text\n"1599171244.277","a ""b"", c"\n';
    const out = transformChunk(Buffer.from(input), (row) => {
      row.set('n', '1');
      return true;
    });
    expect(text(out)).toBe('_time,text,n\n"1599171244.277","a ""b"", c",1\n');
  });

  test('on the real 16 MB sum.map chunk, both paths agree row for row', () => {
    const exec = splitRecording(readRecording('sum.map.input.gz'))[1];
    let n = 0;
    const visit = (row: Row) => {
      n++;
      if (n % 3 === 0) row.set('color', 'edited'); // an existing field: forces re-serialisation
      row.set('is_docker_build', '0');
      return n % 7 !== 0;
    };
    const fast = text(transformChunk(exec.body, visit));
    n = 0;
    const slow = transformTable(exec.body, visit);
    const a = asRecords(fast);
    const b = asRecords(slow);
    expect(a.fields).toEqual(b.fields);
    expect(a.rows.length).toBe(b.rows.length);
    expect(a.rows.length).toBe(50000 - Math.floor(50000 / 7));
    for (let i = 0; i < a.rows.length; i++)
      if (a.rows[i].join('\u0001') !== b.rows[i].join('\u0001')) expect(a.rows[i]).toEqual(b.rows[i]);
  });

  test('a reply stays valid when written after the next chunk was transformed', () => {
    const visit = (row: Row) => {
      row.set('n', `v-${row.get('a') ?? ''}`);
      return true;
    };
    const first = transformChunk(Buffer.from('a\n1\n2\n'), visit);
    const second = transformChunk(Buffer.from('a\n333333\n'), visit);
    expect(text(first)).toBe('a,n\n1,v-1\n2,v-2\n');
    expect(text(second)).toBe('a,n\n333333,v-333333\n');
  });

  test('columns first set on a later row are empty on the earlier rows', () => {
    let i = 0;
    const out = transformChunk(Buffer.from('a\nx\ny\nz\n'), (row) => {
      if (i++ > 0) row.set(`c${i}`, String(i));
      return true;
    });
    expect(text(out)).toBe('a,c2,c3\nx,,\ny,2,\nz,,3\n');
  });

  test('CsvChunk reports malformed rows like the reference parser', () => {
    const c = new CsvChunk(Buffer.from('a\n1,2\n'));
    expect(() => c.next()).toThrow(/row 1 has 2 values but the header has 1/);
    const d = new CsvChunk(Buffer.from('a\n"x\n'));
    expect(() => d.next()).toThrow(/unterminated quoted value/);
  });
});
