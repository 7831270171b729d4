/**
 * Where WebAssembly SIMD is missing (old Node builds) or T1612_NO_WASM=1, rows are scanned byte by byte in JS:
 * the command's reply is the same, byte for byte, as through the SIMD row index, in both modes.
 */
import { makeChunkBody } from '../../src/bench/stream';
import { defaultT1612Options } from '../../src/command/options';
import type * as ScoreChunk from '../../src/command/score-chunk';
import { streamedText } from '../helpers/scp';

function reply(noWasm: boolean, mode: 'default' | 'seed', body: Buffer): { text: string; indexed: boolean } {
  let out = { text: '', indexed: false };
  const saved = process.env.T1612_NO_WASM;
  if (noWasm) process.env.T1612_NO_WASM = '1';
  else delete process.env.T1612_NO_WASM;
  try {
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { makeChunkScorer } = require('../../src/command/score-chunk') as typeof ScoreChunk;
      const { indexRows } = require('../../src/scp/wasm/csv-index') as typeof import('../../src/scp/wasm/csv-index');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const text = streamedText(makeChunkScorer(defaultT1612Options(mode)).streamed(body));
      out = { text, indexed: indexRows(body, body.indexOf(10) + 1) !== null };
    });
  } finally {
    if (saved === undefined) delete process.env.T1612_NO_WASM;
    else process.env.T1612_NO_WASM = saved;
  }
  return out;
}

describe('without WebAssembly', () => {
  const body = Buffer.from(makeChunkBody({ chunks: 1, eventsPerChunk: 2000, buildRate: 0.05 }, 0), 'utf8');

  test.each(['default', 'seed'] as const)('mode=%s: the same reply as with WebAssembly available', (mode) => {
    const simd = reply(false, mode, body);
    const js = reply(true, mode, body);
    // mode=seed scans rows in JS whatever the runtime (csv-index.ts setRowIndexUse): measured cheaper
    expect(simd.indexed).toBe(mode === 'default');
    expect(js.indexed).toBe(false);
    expect(js.text).toBe(simd.text);
    expect(simd.text.split('\n').length).toBeGreaterThan(2000);
  });
});
