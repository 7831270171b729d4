#!/usr/bin/env node
/** `npx t1612 <subcommand>`: offline tooling around the app (scan, deploy, verify). */

type Subcommand = { summary: string; run: (argv: string[]) => Promise<number> };

const SUBCOMMANDS: Record<string, Subcommand> = {
  // Each area registers its subcommand here (one line each).
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
    process.stderr.write(`t1612: unknown subcommand "${name}"\n${usage()}`);
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
