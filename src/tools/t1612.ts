#!/usr/bin/env node
/** `npx t1612 <subcommand>`: offline tooling around the app (scan, deploy, verify). */
import { runDeploy } from '../deploy/deploy';
import { runVerify } from '../deploy/verify';

import { runScan } from '../scan/scan';

type Subcommand = { summary: string; run: (argv: string[]) => Promise<number> };

const SUBCOMMANDS: Record<string, Subcommand> = {
  // Each area registers its subcommand here (one line each).
  scan: { summary: 'score raw log files offline, as | t1612score would', run: runScan },
  deploy: {
    summary: 'install/upgrade the app on splunkd over REST (splunk-sdk, verified TLS)',
    run: (argv) => runDeploy(argv),
  },
  verify: {
    summary: 'check app version, | t1612score results and alert schedules on splunkd (--peers: on every search peer)',
    run: (argv) => runVerify(argv),
  },
};

function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, s]) => `  ${name.padEnd(8)} ${s.summary}`);
  return `usage: t1612 <subcommand> [options]\n\nsubcommands:\n${lines.join('\n')}\n\nRun t1612 <subcommand> --help for its options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const sub = SUBCOMMANDS[name];
  if (!sub) {
    const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name; // a stray argument can be anything, even huge
    process.stderr.write(`t1612: unknown subcommand ${JSON.stringify(shown)}\n${usage()}`);
    return 2;
  }
  return sub.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`t1612: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
