/**
 * The SIMD row index (src/scp/wasm/csv-index.ts) against a byte-by-byte reference written here: the same row
 * ends, field counts and literal flags on random CSV (quoted LF/CR, `""`, commas, short rows, no final LF,
 * bodies over the 1 MB window), and null (the JS scanner takes over) exactly where the CSV is not splunkd's.
 */
import fc from 'fast-check';
import { CsvChunk } from '../../src/scp/csv-chunk';
import { parseTable } from '../../src/scp/csv';
import { indexRows, literalTables, setRowIndexUse, setRowLiterals } from '../../src/scp/wasm/csv-index';
import { needleSet, scanRowsWith } from '../../src/scp/row-scan';

interface Ref {
  ends: number[];
  /** Commas per row. */
  commas: number[];
  flags: boolean[];
  /** Offsets of the commas outside quotes. */
  at: number[];
}

/** RFC 4180 as csv-index.wat accepts it; null where the module must refuse the body. */
function reference(body: Buffer, start: number, literals: readonly string[]): Ref | null {
  const ends: number[] = [];
  const commas: number[] = [];
  const flags: boolean[] = [];
  const at: number[] = [];
  let inside = false;
  let n = 0;
  let rowStart = start;
  const isSep = (c: number | undefined) => c === 0x2c || c === 0x0a || c === 0x22;
  const end = () => {
    const text = body.toString('latin1', rowStart, p).toLowerCase();
    ends.push(p);
    commas.push(n);
    flags.push(literals.some((l) => text.includes(l.toLowerCase())));
    n = 0;
    rowStart = p + 1;
  };
  let p = start;
  for (; p < body.length; p++) {
    const c = body[p];
    if (c === 0x22) {
      inside = !inside;
      if (inside && !(p === start || isSep(body[p - 1]))) return null;
      if (!inside && !(p + 1 >= body.length || isSep(body[p + 1]) || body[p + 1] === 0x0d)) return null;
    } else if (!inside && c === 0x0d) return null;
    else if (!inside && c === 0x2c) {
      n++;
      at.push(p);
    } else if (!inside && c === 0x0a) end();
  }
  if (inside) return null;
  if (body[body.length - 1] !== 0x0a) end();
  return { ends, commas, flags, at };
}

function check(body: Buffer, literals: readonly string[]): void {
  setRowLiterals([literals]);
  const start = body.indexOf(10) + 1;
  const got = indexRows(body, start);
  const want = reference(body, start, literals);
  if (want === null) {
    expect(got).toBeNull();
    return;
  }
  if (got === null) {
    // Only for an empty body here (or over 262,144 rows in one 1 MB window): the JS scanner takes those.
    expect(want.ends).toEqual([]);
    return;
  }
  expect(Array.from(got.ends.subarray(0, got.count))).toEqual(want.ends);
  const cumulative = Array.from(got.commas.subarray(0, got.count), (c) => c & 0x3fffffff);
  expect(cumulative.map((c, i) => c - (i === 0 ? 0 : cumulative[i - 1]))).toEqual(want.commas);
  expect(Array.from(got.commaAt.subarray(0, cumulative[cumulative.length - 1] ?? 0))).toEqual(want.at);
  expect(Array.from(got.commas.subarray(0, got.count), (c) => c >>> 31 === 1)).toEqual(want.flags);
}

const quote = (v: string) => (/^[A-Za-z0-9]*$/.test(v) ? v : '"' + v.replace(/"/g, '""') + '"');
const piece = fc.constantFrom(',', '"', '\n', '\r\n', '\r', ' ', 'docker', 'DoCkEr', 'pod', 'x', 'é', '');
const value = fc.array(piece, { maxLength: 6 }).map((a) => a.join(''));
const LITERALS = ['docker', 'podman', '-c ', "''a"];

describe('csv-index: SIMD row index ≡ byte-by-byte reference', () => {
  afterEach(() => {
    setRowLiterals([]);
    setRowIndexUse('always');
  });

  test('property: splunkd-quoted rows with quoted LF/CR, doubled quotes, short rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 1, maxLength: 5 }), { maxLength: 20 }),
        fc.boolean(),
        (rows, finalLf) => {
          let text = 'a,b,c,d,e\n' + rows.map((r) => r.map(quote).join(',')).join('\n');
          if (finalLf && rows.length > 0) text += '\n';
          check(Buffer.from(text, 'utf8'), LITERALS);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('property: raw bytes (stray quotes, CR outside quotes) are refused exactly where the reference refuses', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ',', '"', '\n', '\r', 'docker', '""'), { maxLength: 40 }), (bits) => {
        check(Buffer.from('h1,h2\n' + bits.join(''), 'latin1'), LITERALS);
      }),
      { numRuns: 600 },
    );
  });

  test('bodies across many 1 MB windows: quoted values, literals and row ends on window edges', () => {
    const W = 1 << 20;
    for (const shift of [0, 1, 2, 5, 15, 16, 17, 31, 47]) {
      const rows: string[] = [];
      let size = 0;
      let i = 0;
      while (size < 3 * W + 5000) {
        // vary lengths so that window edges fall inside quotes, `""`, literals and LFs
        const v = 'x'.repeat((i * 37 + shift) % 200) + (i % 3 === 0 ? 'dOcKeR' : '') + (i % 5 === 0 ? '"\n,' : '');
        const row = `${i},${quote(v)},${quote(`a""b\r\n${i % 7 === 0 ? '-c ' : ''}`)}`;
        rows.push(row);
        size += row.length + 1;
        i++;
      }
      check(Buffer.from('n,v,w\n' + rows.join('\n') + '\n', 'latin1'), LITERALS);
    }
  });

  test('a literal whose first bytes end one window and rest begin the next is found', () => {
    const W = 1 << 20;
    const head = 'n,v\n';
    for (const cut of [1, 2, 3, 5]) {
      const filler = 'y'.repeat(W - head.length - 2 - cut);
      const body = Buffer.from(`${head}1,${filler}docker\n2,z\n`, 'latin1');
      check(body, ['docker']);
      setRowLiterals([['docker']]);
      const idx = indexRows(body, head.length);
      expect(idx).not.toBeNull();
      expect(idx!.commas[0] >>> 31).toBe(1);
      expect(idx!.commas[1] >>> 31).toBe(0);
    }
  });

  test('CsvChunk over the index reads the same records as the reference parser', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 15 }),
        (rows) => {
          const text = 'a,b,c\n' + rows.map((r) => r.map(quote).join(',')).join('\n') + '\n';
          const chunk = new CsvChunk(Buffer.from(text, 'utf8'));
          const got: string[][] = [];
          while (chunk.next()) got.push([0, 1, 2].map((c) => chunk.value(c)));
          expect(got).toEqual(parseTable(text).rows);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('mayContain answers only for the literal set the chunk was indexed with', () => {
    const body = Buffer.from('a,b\n1,"has DOCKER"\n2,plain\n', 'latin1');
    setRowLiterals([LITERALS]);
    const chunk = new CsvChunk(body);
    expect(chunk.next()).toBe(true);
    expect(chunk.mayContain(LITERALS)).toBe(true);
    expect(chunk.mayContain(['docker'])).toBeUndefined(); // another array: not what was searched
    expect(chunk.next()).toBe(true);
    expect(chunk.mayContain(LITERALS)).toBe(false);
  });

  test('literal tables refuse what the module cannot search', () => {
    expect(() => literalTables([['d']])).toThrow(/2 to 48/);
    expect(() => literalTables([['x'.repeat(49)]])).toThrow(/2 to 48/);
    expect(() => literalTables([['a\u0000b']])).toThrow(/latin1/);
    expect(() => literalTables([['ok', 'đx']])).toThrow(/latin1/);
  });

  test('more first bytes than buckets: every literal is still found', () => {
    const lits = [...'abcdefghijklmnopqrstuvwxyz0123456789'].map((c) => c + c + 'q');
    const body = Buffer.from('h\n' + lits.map((l) => `"x ${l.toUpperCase()} y"`).join('\n') + '\nnone\n', 'latin1');
    check(body, lits);
    setRowLiterals([lits]);
    const idx = indexRows(body, 2)!;
    expect(Array.from(idx.commas.subarray(0, idx.count), (c) => c >>> 31)).toEqual([...lits.map(() => 1), 0]);
  });

  test('property: two sets, each row flagged for the sets whose literals it holds (one a prefix of another)', () => {
    const A = ['msg', 'docker'];
    const B = ['msg=audit(', 'docker'];
    const bit = (text: string, set: string[]) => set.some((l) => text.toLowerCase().includes(l));
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.constantFrom('msg=audit(', 'MSG=Audit(', 'msg', 'x', 'docker', ' ', '"'), { maxLength: 5 }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        (rows) => {
          const values = rows.map((r) => r.join(''));
          const body = Buffer.from('h,n\n' + values.map((v, i) => `${quote(v)},${i}`).join('\n') + '\n', 'latin1');
          setRowLiterals([A, B]);
          const idx = indexRows(body, 4);
          expect(idx).not.toBeNull();
          const got = Array.from(idx!.commas.subarray(0, idx!.count), (c) => [c >>> 31, (c >>> 30) & 1]);
          expect(got).toEqual(values.map((v) => [Number(bit(v, A)), Number(bit(v, B))]));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('scanRowsWith visits exactly the rows holding the needle, through the marks or the byte search', () => {
    const values = ['type=SYSCALL msg=audit(1:2)', 'plain', 'MSG=AUDIT(1:3) upper case', 'x msg=audit(', 'msg=audi'];
    const body = Buffer.from('_raw,n\n' + values.map((v, i) => `${quote(v)},${i}`).join('\n') + '\n', 'latin1');
    const needle = Buffer.from('msg=audit(', 'latin1');
    const visited = () => {
      const rows: number[] = [];
      scanRowsWith(body, needle, ['_raw'], (row) => rows.push(row));
      return rows;
    };
    setRowLiterals([]);
    const bySearch = visited();
    setRowLiterals([['docker'], needleSet('msg=audit(')]);
    expect(visited()).toEqual(bySearch);
    expect(bySearch).toEqual([0, 3]);
  });

  test("'sparse' drops the pass for a chunk whose first window is mostly marked rows; 'never' never runs it", () => {
    const body = (marked: number) =>
      Buffer.from(
        'v\n' + Array.from({ length: 100 }, (_, i) => (i < marked ? 'docker x' : 'plain x')).join('\n') + '\n',
      );
    setRowLiterals([['docker']]);
    setRowIndexUse('sparse');
    expect(indexRows(body(50), 2)).not.toBeNull();
    expect(indexRows(body(51), 2)).toBeNull();
    setRowIndexUse('always');
    expect(indexRows(body(100), 2)).not.toBeNull();
    setRowIndexUse('never');
    expect(indexRows(body(0), 2)).toBeNull();
  });
});
