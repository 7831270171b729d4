#!/usr/bin/env node
/**
 * `npm run build:content`: writes the generated macros (src/content/macros.ts) into default/macros.conf.
 * `--check`: writes nothing, exits 1 when the committed file differs from the generator.
 */
import * as fs from 'fs';
import * as path from 'path';
import { applyGenerated, GeneratedBlockError } from '../content/macros';

const ROOT = path.resolve(__dirname, '..');
const MACROS = path.join(ROOT, 'default', 'macros.conf');

function main(argv: string[]): number {
  let current: string;
  let next: string;
  try {
    current = fs.readFileSync(MACROS, 'utf8');
    next = applyGenerated(current);
  } catch (e) {
    if (e instanceof GeneratedBlockError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`build:content: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  if (next === current) {
    process.stderr.write('build:content: default/macros.conf is up to date\n');
    return 0;
  }
  if (argv.includes('--check')) {
    process.stderr.write('build:content: default/macros.conf differs from the generator: run npm run build:content\n');
    return 1;
  }
  fs.writeFileSync(MACROS, next);
  process.stderr.write('build:content: wrote the generated macros into default/macros.conf\n');
  return 0;
}

process.exitCode = main(process.argv.slice(2));
