#!/usr/bin/env node
/**
 * `npm run lint:app [package.tgz]`: offline AppInspect-style checks of the built package
 * (default: dist/<id>-<version>.tgz). Exit 1 on any failure. Report on stderr.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readAppId, readPackageVersion } from '../packaging/layout';
import { CHECKS, lintPackage, SERVICE_ONLY_CHECKS } from '../packaging/lint';

const ROOT = path.resolve(__dirname, '..');
const SPEC_DIR = path.join(ROOT, 'test', 'fixtures', 'splunk-spec');

function main(argv: string[]): number {
  const version = readPackageVersion(ROOT);
  const tgz = argv.find((a) => !a.startsWith('-')) ?? path.join(ROOT, 'dist', `${readAppId(ROOT)}-${version}.tgz`);
  if (!fs.existsSync(tgz)) {
    process.stderr.write(`lint:app: ${tgz} does not exist: run npm run package first\n`);
    return 1;
  }
  const findings = lintPackage(tgz, { specDir: SPEC_DIR, expectedVersion: version });
  const failed = new Set(findings.filter((f) => f.severity === 'fail').map((f) => f.check));
  for (const name of Object.keys(CHECKS)) {
    const mine = findings.filter((f) => f.check === name);
    const status = failed.has(name) ? 'FAIL' : mine.length ? 'WARN' : 'pass';
    process.stderr.write(`${status.padEnd(4)} ${name}\n`);
    for (const f of mine) process.stderr.write(`       ${f.severity}: ${f.message}\n`);
  }
  if (argv.includes('--verbose')) {
    process.stderr.write("\nOnly Splunk's AppInspect service (or its reviewers) can run:\n");
    for (const [k, v] of Object.entries(SERVICE_ONLY_CHECKS)) process.stderr.write(`  ${k}: ${v}\n`);
  }
  const nFail = findings.filter((f) => f.severity === 'fail').length;
  const nWarn = findings.length - nFail;
  process.stderr.write(
    `\nlint:app ${path.relative(process.cwd(), tgz)}: ${Object.keys(CHECKS).length} checks, ${nFail} failure(s), ${nWarn} warning(s)\n`,
  );
  return nFail ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
