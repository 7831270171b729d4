/**
 * `npm run fuzz [-- --minutes N]`: runs the hostile-input generators of src/tools/fuzz/parsers.ts against
 * every parser for N minutes (default 10), round robin, and reports cases tried, the worst steps per
 * input byte seen per parser (inputs of 64 bytes or more: below that the constant dominates) and any case over its bound (exit 1 then).
 */
import fc from 'fast-check';
import { measure, PARSERS } from './fuzz/parsers';

function main(argv: string[]): number {
  let minutes = 10;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = a === '--minutes' ? argv[++i] : a.startsWith('--minutes=') ? a.slice(10) : undefined;
    if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) {
      process.stderr.write(`usage: fuzz [--minutes N]\n`);
      return 2;
    }
    minutes = Number(v);
  }
  const deadline = Date.now() + minutes * 60000;
  const stats = PARSERS.map(() => ({ cases: 0, bytes: 0, worst: 0, worstLen: 0, failures: 0, example: '' }));
  let seed = Date.now() % 2147483647;
  while (Date.now() < deadline) {
    PARSERS.forEach((p, i) => {
      const st = stats[i];
      for (const s of fc.sample(p.input, { numRuns: 20, seed: seed++ })) {
        const steps = measure(p, s);
        st.cases++;
        st.bytes += s.length;
        const per = steps / Math.max(1, s.length);
        if (s.length >= 64 && per > st.worst) {
          st.worst = per;
          st.worstLen = s.length;
        }
        if (steps > p.k * s.length + p.c) {
          st.failures++;
          st.example ||= JSON.stringify(s.slice(0, 200));
        }
      }
    });
  }
  let failed = false;
  process.stdout.write(`parser                          cases     MiB  worst steps/byte (len>=64)  bound\n`);
  PARSERS.forEach((p, i) => {
    const st = stats[i];
    process.stdout.write(
      `${p.name.padEnd(30)} ${String(st.cases).padStart(7)} ${(st.bytes / 1048576).toFixed(1).padStart(7)}` +
        `  ${st.worst.toFixed(2).padStart(8)} (${st.worstLen})`.padEnd(25) +
        `  ${p.k}/byte + ${p.c}${st.failures > 0 ? `  OVER BOUND ×${st.failures}: ${st.example}` : ''}\n`,
    );
    if (st.failures > 0) failed = true;
  });
  const total = stats.reduce((n, s) => n + s.cases, 0);
  process.stdout.write(
    `${total} cases in ${minutes} minute(s)${failed ? ', bound exceeded' : ', all within bounds'}\n`,
  );
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
