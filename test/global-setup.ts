/**
 * Jest global setup: brings bin/t1612score.js and build/*.js up to date with the sources once per jest run,
 * before any suite starts (scripts/build.js --if-stale: skipped when `npm test` has just built them). So any
 * suite run alone executes today's code, and no suite builds while another executes the bundle.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

export default function globalSetup(): void {
  const script = path.join(__dirname, '..', 'scripts', 'build.js');
  execFileSync(process.execPath, [script, '--if-stale'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120000 });
}
