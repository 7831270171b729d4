import { parseConf } from '../../src/packaging/conf';
import { checkValue, parseSpec, validateAgainstSpec } from '../../src/packaging/spec';
import { commandsOf, expandMacros, SplError } from '../../src/packaging/spl';
import { cronRunsPerHour, csvProblems } from '../../src/packaging/lint';
import { encodePng, pngSize } from '../../src/packaging/png';
import { createTgz, readTgz } from '../../src/packaging/tar';

test('conf parser joins backslash-continued values and keeps stanza order', () => {
  const c = parseConf('# c\n[a]\nsearch = x \\\n| y\nk=v\n[b b]\n');
  expect(c.stanzas.map((s) => s.name)).toEqual(['a', 'b b']);
  expect(c.stanzas[0].entries).toEqual([
    { key: 'search', value: 'x \n| y', line: 3 },
    { key: 'k', value: 'v', line: 5 },
  ]);
});

test('spec patterns: placeholders match, literal stanzas win, values are checked', () => {
  const spec = parseSpec(
    'x.conf.spec',
    'global = <boolean>\n[<name>]\naction.<n> = <boolean>\naction.<n>.<p> = <value>\n[fixed]\nonly = a | b\n',
  );
  const conf = parseConf(
    '[s]\naction.risk = 0\naction.risk.param.x = hello\nglobal = maybe\n[fixed]\nonly = c\naction.x = 1\n',
  );
  const msgs = validateAgainstSpec(conf, spec).map((f) => f.message);
  expect(msgs).toEqual([
    '[s] global: value "maybe" is not one of: <boolean>',
    '[fixed] only: value "c" is not one of: a | b',
    '[fixed] key "action.x" is not a setting in x.conf.spec',
  ]);
  expect(checkValue('[0 | 1]', '1')).toBeNull();
  expect(checkValue('<integer>', '-3')).toBeNull();
  expect(checkValue('<unsigned integer>', '-3')).not.toBeNull();
});

test('SPL: pipes inside quotes, parentheses and subsearches do not split; macros expand', () => {
  const macros = new Map([
    ['m', { args: [], definition: 'where a="x|y"' }],
    ['f(1)', { args: ['v'], definition: 'search v=$v$ | head 1' }],
  ]);
  const { text, used } = expandMacros(
    'index=a | `m` | `f("q")` | eval z=if(match(x,"a|b"),1,0) | join k [search b | stats count]',
    macros,
  );
  expect(used).toEqual(['m', 'f(1)']);
  expect(commandsOf(text).map((c) => c.name)).toEqual([
    'search',
    'where',
    'search',
    'head',
    'eval',
    'join',
    'search',
    'stats',
  ]);
  expect(commandsOf('| makeresults | eval a=1').map((c) => c.name)).toEqual(['makeresults', 'eval']);
  expect(commandsOf('top limit=5 host', true).map((c) => c.name)).toEqual(['top']);
  expect(() => expandMacros('`nope`', macros)).toThrow(SplError);
  expect(() => commandsOf('a | "open')).toThrow(SplError);
});

test('cron: runs per hour and invalid fields', () => {
  expect(cronRunsPerHour('*/15 * * * *')).toBe(4);
  expect(cronRunsPerHour('*/2 * * * *')).toBe(30);
  expect(cronRunsPerHour('5,35 1-3 * * 1')).toBe(2);
  expect(() => cronRunsPerHour('0 * * * MON')).toThrow();
  expect(() => cronRunsPerHour('61 * * * *')).toThrow();
});

test('CSV rules of check_lookup_csv_is_valid', () => {
  expect(csvProblems(Buffer.from('a,b\n1,"x, y"\n'))).toEqual([]);
  expect(csvProblems(Buffer.alloc(0))).toEqual(['file is empty']);
  expect(csvProblems(Buffer.from('a\n1\n'))).toContain('header has 1 column (min 2)');
  expect(csvProblems(Buffer.from('a,b\r1,2\r'))).toContain('has CR-only line endings');
  expect(csvProblems(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0x2c, 0x31]))).toEqual(['not valid UTF-8']);
});

test('PNG and tar round trips', () => {
  const png = encodePng(3, 2, new Uint8Array(24).fill(200));
  expect(pngSize(png)).toEqual({ width: 3, height: 2 });
  const broken = Buffer.from(png);
  broken[20] ^= 1;
  expect(() => pngSize(broken)).toThrow(/CRC/);
  const long = `app/${'d'.repeat(90)}/${'f'.repeat(60)}.txt`;
  const tgz = createTgz(
    [
      { path: 'app/', mode: 0o755 },
      { path: long, mode: 0o644, data: Buffer.from('héllo') },
    ],
    1234,
  );
  const back = readTgz(tgz);
  expect(back.map((e) => [e.path, e.type, e.mode, e.uid, e.gid, e.data.toString('utf8')])).toEqual([
    ['app/', 'dir', 0o755, 0, 0, ''],
    [long, 'file', 0o644, 0, 0, 'héllo'],
  ]);
});
