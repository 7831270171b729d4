/**
 * Row boundaries and field counts of a whole CSV body in one SIMD pass (csv-index.wat), so that rows whose
 * fields nobody reads are never scanned byte by byte in JS (csv-chunk.ts scans a row's fields only when one
 * is asked for). Null when the module cannot run here or the body is not plain splunkd CSV (a CR outside
 * quotes, a quote RFC 4180 does not allow, an unterminated quote, tiny rows): the caller then scans rows
 * the old way, which handles or reports them. Measured in docs/performance.md ("Third pass").
 */
import { WASM_BASE64 } from './csv-index-bytes';

interface Exports {
  memory: WebAssembly.Memory;
  reset(): void;
  index(end: number, base: number, ends: number, commas: number, max: number): number;
  bad(): number;
  inside(): number;
}

export interface RowIndex {
  /** Rows found. */
  count: number;
  /** Per row: offset of the LF that ends it (the body's length for a last row without one). */
  ends: Uint32Array;
  /** Per row: commas outside quotes (fields - 1). */
  commas: Uint32Array;
}

/** The body goes through the module's memory a window at a time: its memory stays ~3 MB whatever the chunk. */
const WINDOW = 1 << 20;
const PAD = 32;
/** Rows one window may end: more (rows under 4 bytes on average) is not splunkd's CSV, so the JS scanner takes it. */
const MAX_ROWS = WINDOW >> 2;
const ENDS_AT = WINDOW + 64;
const COMMAS_AT = ENDS_AT + MAX_ROWS * 4;
const MEMORY_BYTES = COMMAS_AT + MAX_ROWS * 4;

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

/** Rows of `body` from `start` (the first byte after the header's LF). */
export function indexRows(body: Buffer, start: number): RowIndex | null {
  const total = body.length;
  if (disabled || total <= start) return null;
  const w = load();
  if (w === null) return null;
  const mem = new Uint8Array(w.memory.buffer);
  const endsView = new Uint32Array(w.memory.buffer, ENDS_AT, MAX_ROWS);
  const commasView = new Uint32Array(w.memory.buffer, COMMAS_AT, MAX_ROWS);
  let ends = new Uint32Array(Math.max(1024, (total - start) >> 9));
  let commas = new Uint32Array(ends.length);
  let count = 0;
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
    const rows = w.index(at + end >= total ? end + 1 : end, at, ENDS_AT, COMMAS_AT, MAX_ROWS);
    if (rows < 0) return null;
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
  }
  if (w.bad() !== 0 || w.inside() !== 0) return null;
  return { count, ends, commas };
}
