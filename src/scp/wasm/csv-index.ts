/**
 * Row boundaries and field counts of a whole CSV body in one SIMD pass (csv-index.wat), so that rows whose
 * fields nobody reads are never scanned byte by byte in JS (csv-chunk.ts scans a row's fields only when one
 * is asked for); in the same pass, which rows contain one of the literals of each of (up to) two sets given to
 * setRowLiterals (a command's prefilter: rows without one are answered without running its regex, row-stream.ts
 * Row.matches; a pre-pass's needle: row-scan.ts). Null when the module cannot run here or the body is not plain splunkd CSV (a CR outside
 * quotes, a quote RFC 4180 does not allow, an unterminated quote, tiny rows): the caller then scans rows
 * the old way, which handles or reports them. Measured in docs/performance.md ("Third pass").
 */
import { WASM_BASE64 } from './csv-index-bytes';

interface Exports {
  memory: WebAssembly.Memory;
  reset(): void;
  index(
    end: number,
    base: number,
    ends: number,
    commas: number,
    max: number,
    tables: number,
    cpos: number,
    cmax: number,
  ): number;
  bad(): number;
  inside(): number;
  commaCount(): number;
}

export interface RowIndex {
  /** Rows found. */
  count: number;
  /** Per row: offset of the LF that ends it (the body's length for a last row without one). */
  ends: Uint32Array;
  /**
   * Per row: commas outside quotes in the body before the row's end (so row i has commas[i] - commas[i-1],
   * fields - 1; mask 0x3fffffff), bit 31 set when the row contains a literal of `literals[0]`, bit 30 of
   * `literals[1]`.
   */
  commas: Uint32Array;
  /** Offsets of every comma outside quotes, in order: the field boundaries of all rows. */
  commaAt: Uint32Array;
  /** The literal sets the rows were searched for (setRowLiterals). */
  literals: LiteralSets;
}

/**
 * A regex every match of which (on a row's bytes as latin1) contains one of `anchors`, ASCII letters in any
 * case: see setRowLiterals.
 */
export interface AnchoredRegExp extends RegExp {
  anchors: readonly string[];
}

/** The body goes through the module's memory a window at a time: its memory stays ~3 MB whatever the chunk. */
const WINDOW = 1 << 20;
/** Bytes after a window the module may read: 16 past a block, plus the longest literal. */
const PAD = 64;
const MAX_LITERAL = 48;
/** Rows one window may end: more (rows under 4 bytes on average) is not splunkd's CSV, so the JS scanner takes it. */
const MAX_ROWS = WINDOW >> 2;
const ENDS_AT = WINDOW + 64;
const COMMAS_AT = ENDS_AT + MAX_ROWS * 4;
/** Commas one window may list (16 short of the space: checked once per 16-byte block). */
const MAX_COMMAS = WINDOW >> 1;
const CPOS_AT = COMMAS_AT + MAX_ROWS * 4;
const TABLES_AT = CPOS_AT + (MAX_COMMAS + 16) * 4;
const TWO_BYTE_AT = 1 << 16;
const TABLE_BYTES = TWO_BYTE_AT + 4 * 65536;
const MEMORY_BYTES = TABLES_AT + TABLE_BYTES;

/** At most two sets of literals (flag bits 31 and 30 of RowIndex.commas). */
export type LiteralSets = readonly (readonly string[])[];

let literals: LiteralSets = [];
/** Built on first use (a search that never sends a row does not pay for them at getinfo). */
let tables: Uint8Array | null = null;

/** The literal set chunks are indexed for now. */
export function rowLiterals(): LiteralSets {
  return literals;
}

/**
 * The literal sets every chunk indexed from now on is searched for. One search runs one command,
 * so this is set once by the command; a chunk indexed for another set simply has no literal flags for it.
 */
export function setRowLiterals(sets: LiteralSets): void {
  if (sets.length === literals.length && sets.every((set, i) => set === literals[i])) return;
  if (sets.length > 2) throw new Error('row literals: two sets at most');
  literals = sets;
  tables = null;
  for (const set of sets) set.forEach(checkLiteral); // refused here, not at the first chunk
}

const cases = (c: number) => (c >= 0x61 && c <= 0x7a ? [c, c - 0x20] : [c]);

/** Per position (3) and nibble (lo, hi): the 16-bit set of nibble values a bucket's literals accept. */
function nibbleMasks(lits: readonly string[]): number[] {
  const m = [0, 0, 0, 0, 0, 0];
  for (const l of lits)
    for (let k = 0; k < 3; k++) {
      if (k >= l.length) {
        m[2 * k] = m[2 * k + 1] = 0xffff; // past a short literal's end: any byte
        continue;
      }
      for (const x of cases(l.charCodeAt(k))) {
        m[2 * k] |= 1 << (x & 15);
        m[2 * k + 1] |= 1 << (x >> 4);
      }
    }
  return m;
}

const bits = (x: number) => {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
};
/** How many byte triples a bucket lets through: the product of its nibble-set sizes (of `a | b`). */
function acceptance(a: readonly number[], b: readonly number[] = a): number {
  let x = 1;
  for (let k = 0; k < 6; k++) x *= bits(a[k] | b[k]);
  return x;
}

/** Literals grouped into at most 8 buckets: by first byte, then the pair that widens its tables least merged. */
function buckets(lits: readonly string[]): string[][] {
  const byFirst = new Map<string, string[]>();
  for (const l of lits) byFirst.set(l[0], [...(byFirst.get(l[0]) ?? []), l]);
  const gs = [...byFirst.values()].map((g) => {
    const masks = nibbleMasks(g);
    return { lits: g, masks, size: acceptance(masks) };
  });
  while (gs.length > 8) {
    let bi = 0;
    let bj = 1;
    let best = Infinity;
    for (let i = 0; i < gs.length; i++)
      for (let j = i + 1; j < gs.length; j++) {
        const grow = acceptance(gs[i].masks, gs[j].masks) - gs[i].size - gs[j].size;
        if (grow < best) {
          best = grow;
          bi = i;
          bj = j;
        }
      }
    const masks = gs[bi].masks.map((x, k) => x | gs[bj].masks[k]);
    gs[bi] = { lits: [...gs[bi].lits, ...gs[bj].lits], masks, size: acceptance(masks) };
    gs.splice(bj, 1);
  }
  return gs.map((g) => g.lits);
}

function checkLiteral(l: string): void {
  if (l.length < 2 || l.length > MAX_LITERAL || [...l].some((c) => c === '\0' || c > '\xff'))
    throw new Error(`row literal ${JSON.stringify(l)}: 2 to ${MAX_LITERAL} latin1 characters (bytes), no NUL`);
}

/**
 * The tables csv-index.wat reads: Teddy's nibble tables for the first three bytes of each literal (both ASCII
 * cases), then the literals sorted by their first two bytes, found through a table indexed by those two.
 */
export function literalTables(sets: LiteralSets): Uint8Array {
  const t = new Uint8Array(TABLE_BYTES);
  const groups = new Map<string, number>();
  sets.forEach((set, g) => {
    for (const l of set) groups.set(l.toLowerCase(), (groups.get(l.toLowerCase()) ?? 0) | (1 << g));
  });
  const lits = [...groups.keys()].sort();
  lits.forEach(checkLiteral);
  buckets(lits).forEach((g, b) => {
    nibbleMasks(g).forEach((mask, i) => {
      for (let x = 0; x < 16; x++) if (mask & (1 << x)) t[i * 16 + x] |= 1 << b;
    });
  });
  const view = new DataView(t.buffer);
  let bytesAt = 128 + lits.length * 8;
  lits.forEach((l, k) => {
    view.setUint32(128 + k * 8, TABLES_AT + bytesAt, true);
    t[132 + k * 8] = l.length;
    t[133 + k * 8] = groups.get(l) ?? 0;
    for (let i = 0; i < l.length; i++) t[bytesAt + i] = l.charCodeAt(i);
    bytesAt += l.length;
    const key = TWO_BYTE_AT + (l.charCodeAt(0) | (l.charCodeAt(1) << 8)) * 4;
    const e = view.getUint32(key, true);
    view.setUint32(key, e === 0 ? (k << 8) | 1 : e + 1, true);
  });
  if (bytesAt > TWO_BYTE_AT) throw new Error('row literals: too many');
  return t;
}

let wasm: Exports | null | undefined;

function load(): Exports | null {
  if (wasm !== undefined) return wasm;
  try {
    const mod = new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
    const w = new WebAssembly.Instance(mod, {}).exports as unknown as Exports;
    w.memory.grow(Math.ceil((MEMORY_BYTES - w.memory.buffer.byteLength) / 65536));
    wasm = w;
  } catch {
    wasm = null; // no WebAssembly SIMD in this runtime: the JS scanner does the work
  }
  return wasm;
}

/** Set T1612_NO_WASM=1 to compare with the byte-by-byte path (tests, bench). */
const disabled = process.env.T1612_NO_WASM === '1';

/**
 * When to use the row pass (the command sets it once): `never`, or `sparse` — drop it for a chunk whose
 * first window has more than half of its rows marked for the first literal set. The pass pays off by
 * letting unmarked rows skip the prefilter; where nearly every row is marked (the shipped alert's own
 * stream) the JS scanner is cheaper, and so it is for `mode=seed`, whose one literal the JS path already
 * finds by a byte search (measured in docs/performance.md, "Third pass").
 */
export type RowIndexUse = 'never' | 'sparse' | 'always';
let use: RowIndexUse = 'always';
export function setRowIndexUse(u: RowIndexUse): void {
  use = u;
}

/** Rows of `body` from `start` (the first byte after the header's LF). */
export function indexRows(body: Buffer, start: number): RowIndex | null {
  const total = body.length;
  if (disabled || use === 'never' || total <= start) return null;
  const w = load();
  if (w === null) return null;
  const mem = new Uint8Array(w.memory.buffer);
  const endsView = new Uint32Array(w.memory.buffer, ENDS_AT, MAX_ROWS);
  const commasView = new Uint32Array(w.memory.buffer, COMMAS_AT, MAX_ROWS);
  const cposView = new Uint32Array(w.memory.buffer, CPOS_AT, MAX_COMMAS + 16);
  let commaAt = new Uint32Array(Math.max(1024, (total - start) >> 5));
  let listed = 0;
  let ends = new Uint32Array(Math.max(1024, (total - start) >> 9));
  let commas = new Uint32Array(ends.length);
  let count = 0;
  mem.set((tables ??= literalTables(literals)), TABLES_AT);
  w.reset();
  for (let at = start; at < total; at += WINDOW) {
    const end = Math.min(WINDOW, total - at);
    const copied = Math.min(end + PAD, total - at);
    mem.set(body.subarray(at, at + copied), 0);
    if (copied < end + PAD) {
      mem.fill(0, copied, end + PAD);
      if (body[total - 1] !== 0x0a) mem[copied] = 0x0a;
    }
    // The last window scans its padding too: a LF put after a body without a final one ends the last row.
    const rows = w.index(
      at + end >= total ? end + 1 : end,
      at,
      ENDS_AT,
      COMMAS_AT,
      MAX_ROWS,
      TABLES_AT,
      CPOS_AT,
      MAX_COMMAS,
    );
    if (rows < 0) return null;
    const found = w.commaCount() - listed;
    if (listed + found > commaAt.length) {
      const c = new Uint32Array(Math.max(commaAt.length * 2, listed + found));
      c.set(commaAt.subarray(0, listed));
      commaAt = c;
    }
    commaAt.set(cposView.subarray(0, found), listed);
    listed += found;
    if (count + rows > ends.length) {
      const size = Math.max(ends.length * 2, count + rows);
      const e = new Uint32Array(size);
      e.set(ends.subarray(0, count));
      ends = e;
      const c = new Uint32Array(size);
      c.set(commas.subarray(0, count));
      commas = c;
    }
    ends.set(endsView.subarray(0, rows), count);
    commas.set(commasView.subarray(0, rows), count);
    count += rows;
    if (at === start && use === 'sparse' && literals.length > 0 && count >= 16) {
      let marked = 0;
      for (let i = 0; i < count; i++) marked += commas[i] >>> 31;
      if (marked * 2 > count) return null;
    }
  }
  if (w.bad() !== 0 || w.inside() !== 0) return null;
  return { count, ends, commas, commaAt, literals };
}
