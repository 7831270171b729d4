#!/usr/bin/env node
/**
 * `npm run lint:app [package.tgz...]`: offline AppInspect-style checks of the built packages (default: every
 * dist/<id>-<version>*.tgz, i.e. each platform's package). Exit 1 on any failure. Report on stderr.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readAppId, readPackageVersion } from '../packaging/layout';
import { CHECKS, lintPackage, SERVICE_ONLY_CHECKS } from '../packaging/lint';

const ROOT = path.resolve(__dirname, '..');
const SPEC_DIR = path.join(ROOT, 'test', 'fixtures', 'splunk-spec');

function lintOne(tgz: string, version: string): number {
  const findings = lintPackage(tgz, { specDir: SPEC_DIR, expectedVersion: version });
  const failed = new Set(findings.filter((f) => f.severity === 'fail').map((f) => f.check));
  for (const name of Object.keys(CHECKS)) {
    const mine = findings.filter((f) => f.check === name);
    const status = failed.has(name) ? 'FAIL' : mine.length ? 'WARN' : 'pass';
    process.stderr.write(`${status.padEnd(4)} ${name}\n`);
    for (const f of mine) process.stderr.write(`       ${f.severity}: ${f.message}\n`);
  }
  const nFail = findings.filter((f) => f.severity === 'fail').length;
  process.stderr.write(
    `\nlint:app ${path.relative(process.cwd(), tgz)}: ${Object.keys(CHECKS).length} checks, ${nFail} failure(s), ${findings.length - nFail} warning(s)\n\n`,
  );
  return nFail;
}

function main(argv: string[]): number {
  const version = readPackageVersion(ROOT);
  let tgzs = argv.filter((a) => !a.startsWith('-'));
  if (!tgzs.length) {
    const prefix = `${readAppId(ROOT)}-${version}`;
    const dist = path.join(ROOT, 'dist');
    tgzs = fs.existsSync(dist)
      ? fs
          .readdirSync(dist)
          .filter((f) => f.startsWith(prefix) && f.endsWith('.tgz'))
          .sort()
          .map((f) => path.join(dist, f))
      : [];
  }
  if (!tgzs.length || tgzs.some((t) => !fs.existsSync(t))) {
    process.stderr.write(
      `lint:app: no package to lint (${tgzs.join(', ') || 'dist/ is empty'}): run npm run package first\n`,
    );
    return 1;
  }
  let failures = 0;
  for (const t of tgzs) failures += lintOne(t, version);
  if (argv.includes('--verbose')) {
    process.stderr.write("Only Splunk's AppInspect service (or its reviewers) can run:\n");
    for (const [k, v] of Object.entries(SERVICE_ONLY_CHECKS)) process.stderr.write(`  ${k}: ${v}\n`);
  }
  return failures ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
