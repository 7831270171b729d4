/**
 * Preloaded (`node -r build/bench-usage.js …`) into each benchmarked process: at exit, writes the
 * process's own CPU time and peak RSS (process.resourceUsage) as JSON to $T1612_BENCH_USAGE.
 */
import * as fs from 'fs';

const file = process.env.T1612_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(file, JSON.stringify({ userUs: u.userCPUTime, systemUs: u.systemCPUTime, maxRssKb: u.maxRSS }));
  });
}
