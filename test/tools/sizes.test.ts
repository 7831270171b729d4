/** The size rule: no file under src/ over 400 lines unless a `// size: <reason>` line at its top says why. */
import * as path from 'path';
import { functionSizes, hasSizeReason, lineCount, MAX_FILE_LINES, sizeReport } from '../../src/tools/sizes';

const ROOT = path.resolve(__dirname, '..', '..');

describe('size rule', () => {
  test('every file under src/ is within the limit or says why at its top; no reason outlives its need', () => {
    const report = sizeReport(ROOT);
    expect(report.files.length).toBeGreaterThan(50);
    expect(report.oversized).toEqual([]);
    expect(report.staleReasons).toEqual([]);
  });

  test('a reason counts only as a `// size:` line among the first lines', () => {
    const body = 'const x = 1;\n'.repeat(MAX_FILE_LINES);
    expect(hasSizeReason(`// size: generated table\n${body}`)).toBe(true);
    expect(hasSizeReason(`/**\n * doc\n */\n// size: one parser\n${body}`)).toBe(true);
    expect(hasSizeReason(body)).toBe(false);
    expect(hasSizeReason(`// size:\n${body}`)).toBe(false);
    expect(hasSizeReason(`${body}// size: too late\n`)).toBe(false);
  });

  test('lines and functions are counted from the source text', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
    const text = [
      'export function outer(a: number) {',
      '  const inner = (b: number) => {',
      '    return b + 1;',
      '  };',
      '  return inner(a);',
      '}',
      'class Box {',
      '  get size(): number {',
      '    return 1;',
      '  }',
      '}',
      '[1].map((n) => n);',
    ].join('\n');
    expect(functionSizes('x.ts', text)).toEqual([
      { name: 'outer', lines: 6 },
      { name: 'inner', lines: 3 },
      { name: 'Box.size', lines: 3 },
      { name: '<callback of [1].map>', lines: 1 },
    ]);
  });
});
