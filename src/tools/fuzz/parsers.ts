/**
 * The parsers and matchers that read attacker text, each with a generator of hostile inputs (fast-check)
 * and its step bound: steps ≤ k × bytes + c. Shared by test/hostile (bounded runs in npm test) and
 * `npm run fuzz` (long runs).
 */
import fc from 'fast-check';
import { STEPS, StepCounter } from '../../steps';
import { tokenize } from '../../detection/model/tokenize';
import { unwrapCommandLine } from '../../detection/model/unwrap';
import { Wildcard } from '../../detection/model/allowlist';
import { scanSudoHead } from '../../telemetry/sudo';
import { scanMsg } from '../../telemetry/dockerd';

export interface ParserCase {
  name: string;
  /** Counters whose sum is this parser's work. */
  counters: StepCounter[];
  /** Steps allowed per input byte, and a constant. */
  k: number;
  c: number;
  input: fc.Arbitrary<string>;
  run(input: string): void;
}

const SHELL_PIECES = [
  'sh -c ',
  'bash -c ',
  'sudo ',
  'env -S ',
  'su -c ',
  'nohup ',
  'cmd /c ',
  'cmd.exe /c ',
  'powershell -c ',
  'pwsh -Command ',
  'docker build . ',
  'cd /tmp ',
  'x',
  ' ',
  "'",
  '"',
  '\\',
  '\\"',
  ';',
  '&&',
  '||',
  '|',
  '&',
  '$(',
  ')',
  '(',
  '`',
  '\n',
  '#',
  '2>&1',
  '<',
  '>',
  '<<<',
  '-',
  '=',
  'A=1 ',
];

const piece = fc.constantFrom(...SHELL_PIECES);

/** Random mixes of shell syntax. */
const mixed = fc.array(piece, { maxLength: 300 }).map((a) => a.join(''));

/** One piece sequence repeated many times (the `sh -c x;` × N family). */
const repeated = fc
  .tuple(
    fc.array(piece, { minLength: 1, maxLength: 8 }),
    fc.integer({ min: 1, max: 3000 }),
    fc.constantFrom('', "bash -c '", 'cmd /c ', 'powershell -c '),
  )
  .map(([p, n, prefix]) => prefix + p.join('').repeat(n));

/** Nested quoted forms: each level wraps the script in another runner with its quoting. */
const nested = fc
  .tuple(fc.array(fc.constantFrom('sq', 'dq', 'cmd', 'ps', 'raw'), { minLength: 1, maxLength: 10 }), mixed)
  .map(([levels, core]) =>
    levels.reduce((prev, l) => {
      // quoting doubles the escapes per level: keep each level's text bounded
      const s = prev.length > 50000 ? prev.slice(0, 50000) : prev;
      if (l === 'sq') return `sh -c '${s.replace(/'/g, "'\\''")}'; `;
      if (l === 'dq') return `bash -c "${s.replace(/["\\$`]/g, '\\$&')}" && `;
      if (l === 'cmd') return `cmd /c "${s}" & `;
      if (l === 'ps') return `powershell -c ${s}; `;
      return `sh -c ${s}`;
    }, core),
  );

/** Very long lines: many arguments or one huge word. */
const huge = fc
  .tuple(
    fc.constantFrom('docker build ', 'sh -c ', 'cmd /c ', ''),
    fc.constantFrom('a ', 'x', '"', "'a' ", '\\ '),
    fc.integer({ min: 1, max: 120000 }),
  )
  .map(([p, w, n]) => p + w.repeat(n));

export const shellLine = fc.oneof(mixed, repeated, nested, huge);

const sudoLine = fc.oneof(
  fc
    .array(fc.constantFrom('sudo', 'sudo[', '12', ']', ':', ' ', '  ', 'a', '-', '\n', 'COMMAND=', ' ; '), {
      maxLength: 400,
    })
    .map((a) => a.join('')),
  fc
    .tuple(
      fc.constantFrom('sudo: a : ', 'sudo: -sudo: ', 'sudo[1', 'sudo:  ', 'sudo: aaaa'),
      fc.integer({ min: 1, max: 20000 }),
      fc.constantFrom('', '\n', ' x'),
    )
    .map(([p, n, tail]) => 'Nov 27 23:23:21 h ' + p.repeat(n) + tail),
);

const dockerdLine = fc.oneof(
  fc
    .array(fc.constantFrom('msg=', 'msg="', '"', '\\', '\\"', ' ', 'x', 'level=debug ', '"Binds":['), {
      maxLength: 400,
    })
    .map((a) => a.join('')),
  fc
    .tuple(fc.constantFrom('msg="\\', 'msg="a', 'msg= ', '"Binds":[', '\\\\\\"'), fc.integer({ min: 1, max: 20000 }))
    .map(([p, n]) => 'time="x" level=debug ' + p.repeat(n)),
);

const globPattern = fc
  .array(fc.constantFrom('*', 'a', 'b', 'ab', 'aab', 'docker', '/ci/'), { minLength: 1, maxLength: 12 })
  .map((a) => a.join(''));
const globSubject = fc.oneof(
  fc.array(fc.constantFrom('a', 'b', 'docker ', 'build ', '/ci/', 'x'), { maxLength: 300 }).map((a) => a.join('')),
  fc
    .tuple(fc.constantFrom('a', 'ab', 'docker build ', 'aab'), fc.integer({ min: 1, max: 40000 }))
    .map(([p, n]) => p.repeat(n)),
);

/** The pattern travels with the subject: "pattern\u0000subject". */
const globCase = fc.tuple(globPattern, globSubject).map(([p, s]) => p + '\u0000' + s);

export const PARSERS: ParserCase[] = [
  {
    name: 'tokenize (POSIX)',
    counters: ['tokenize'],
    k: 4,
    c: 8,
    input: shellLine,
    run: (s) => void tokenize(s, false),
  },
  {
    name: 'tokenize (Windows/PowerShell)',
    counters: ['tokenize'],
    k: 4,
    c: 8,
    input: shellLine,
    run: (s) => void tokenize(s, true, true),
  },
  {
    name: 'unwrapCommandLine (POSIX)',
    counters: ['tokenize', 'unwrap'],
    k: 40,
    c: 64,
    input: shellLine,
    run: (s) => void unwrapCommandLine(s, false, '/home/u'),
  },
  {
    name: 'unwrapCommandLine (Windows)',
    counters: ['tokenize', 'unwrap'],
    k: 40,
    c: 64,
    input: shellLine,
    run: (s) => void unwrapCommandLine(s, true, 'C:\\Users\\u'),
  },
  {
    name: 'allowlist wildcard',
    counters: ['allowlist'],
    k: 3,
    c: 64,
    input: globCase,
    run: (s) => {
      const z = s.indexOf('\u0000');
      void new Wildcard(s.slice(0, z)).test(s.slice(z + 1));
    },
  },
  { name: 'sudo line', counters: ['sudo'], k: 4, c: 8, input: sudoLine, run: (s) => void scanSudoHead(s) },
  { name: 'dockerd msg', counters: ['dockerd'], k: 3, c: 8, input: dockerdLine, run: (s) => void scanMsg(s) },
];

export function stepsOf(p: ParserCase): number {
  let n = 0;
  for (const c of p.counters) n += STEPS[c];
  return n;
}

/** Runs one input; returns the steps it took. */
export function measure(p: ParserCase, input: string): number {
  const before = stepsOf(p);
  p.run(input);
  return stepsOf(p) - before;
}
