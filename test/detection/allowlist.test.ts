import * as fs from 'fs';
import * as path from 'path';
import { detect, makeDetectOptions, ModelEvent, parseAllowlist, Wildcard } from '../../src/detection/model';

const CSV = [
  'host,user,parent_process_name,process_pattern,comment',
  'ci-runner-*,gitlab-runner,gitlab-runner,docker build *,"GitLab runners, shell executor"',
  ',,Runner.Worker,*,GitHub Actions self-hosted runner',
  'build01,,,docker build --no-cache -t golden/* /tmp/golden*,golden image pipeline',
].join('\n');

const ev = (extra: Partial<ModelEvent>): ModelEvent => ({
  t1612_source: 't',
  event_kind: 'process',
  process: 'docker build -t app /tmp/ctx',
  parent_process: 'bash ci.sh',
  ...extra,
});

describe('allowlist parser', () => {
  it('reads the shipped lookups/t1612_allowlist.csv (placeholder row matches nothing real)', () => {
    const rows = parseAllowlist(
      fs.readFileSync(path.join(__dirname, '..', '..', 'lookups', 't1612_allowlist.csv'), 'utf8'),
    );
    expect(rows.length).toBe(1);
    expect(detect(ev({ dest: 'web01', user: 'alice' }), makeDetectOptions({ allowlist: rows })).allowlisted).toBe(0);
  });
  it('columns by name, quoted cells, empty = any, line numbers', () => {
    const rows = parseAllowlist(
      'comment,process_pattern,parent_process_name,user,host\r\n"a ""quoted"", b",docker *,,,h1\r\n',
    );
    expect(rows[0].text).toEqual({
      host: 'h1',
      user: '',
      parent_process_name: '',
      process_pattern: 'docker *',
      comment: 'a "quoted", b',
    });
    expect(rows[0].line).toBe(2);
    expect(rows[0].user).toBeUndefined();
  });
  it.each([
    ['', /empty file/],
    ['host,user,comment\nx,y,z', /lacks column\(s\) parent_process_name, process_pattern/],
    ['host,user,parent_process_name,process_pattern,comment\n,,,,allow all', /every match column is empty/],
    ['host,user,parent_process_name,process_pattern\n"x,y', /unterminated/],
  ])('rejects %j', (text, msg) => expect(() => parseAllowlist(text)).toThrow(msg));
  it('* wildcards; everything else literal; case-insensitive', () => {
    expect(new Wildcard('docker build *').test('DOCKER BUILD -t x .')).toBe(true);
    expect(new Wildcard('a.b').test('axb')).toBe(false);
    expect(new Wildcard('*[x]*').test('y[x]z')).toBe(true);
    expect(new Wildcard('ci-*').test('xci-1')).toBe(false);
    expect(new Wildcard('ci-1').test('ci-1')).toBe(true);
    expect(new Wildcard('ci-1').test('ci-12')).toBe(false);
  });
  it.each([
    ['*docker*build*/ci/*', 'sudo docker buildx build /ci/x', true],
    ['*docker*build*/ci/*', 'docker /ci/ build', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['ab*ba', 'aba', false],
    ['*aab*', 'aaaab', true],
    ['*abab*x', 'abaabababx', true],
    ['x**y', 'xy', true],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['*a*b*c', 'cbbac', false],
    ['*a*b*c', 'cbacbabc', true],
  ])('wildcard %j on %j → %s (same answer as a backtracking regex)', (glob, subject, want) => {
    expect(new Wildcard(glob).test(subject)).toBe(want);
    const re = new RegExp(
      '^' +
        glob
          .split('*')
          .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*') +
        '$',
      'is',
    );
    expect(re.test(subject)).toBe(want);
  });
  it('CSV errors name the file', () => {
    expect(() => parseAllowlist('host,user,parent_process_name,process_pattern\n"x"y,,,', 'mine.csv')).toThrow(
      /^mine\.csv: unexpected character "y" after a quoted value/,
    );
  });
  it('line numbers count quoted line breaks, CRLF and blank lines; a BOM is skipped', () => {
    const rows = parseAllowlist(
      '\ufeffhost,user,parent_process_name,process_pattern,comment\r\n\r\nh1,,,,"two\nlines"\r\nh2,,,,\n',
    );
    expect(rows.map((r) => [r.line, r.text.host])).toEqual([
      [3, 'h1'],
      [5, 'h2'],
    ]);
  });
});

describe('allowlist matching in detect()', () => {
  const options = makeDetectOptions({ allowlist: parseAllowlist(CSV) });
  it('a matching row sets allowlisted=1, risk_score=0, no alert, and names the row', () => {
    const d = detect(
      ev({ dest: 'ci-runner-07', user: 'gitlab-runner', parent_process_name: '/usr/bin/gitlab-runner' }),
      options,
    );
    expect(d.allowlisted).toBe(1);
    expect(d.risk_score).toBe(0);
    expect(d.alert_detail).toBeUndefined();
    expect(d.from_temp).toBe(1); // the evidence stays visible
    expect(d.allowlist_match).toBe(
      't1612_allowlist.csv line 2: host=ci-runner-* user=gitlab-runner parent_process_name=gitlab-runner process_pattern=docker build * (GitLab runners, shell executor)',
    );
  });
  it('empty cells match anything; host falls back from host to dest', () => {
    const d = detect(ev({ host: 'any', parent_process_name: 'C:\\actions-runner\\bin\\Runner.Worker.exe' }), options);
    expect(d.allowlist_match).toMatch(/^t1612_allowlist.csv line 3:/);
  });
  it.each([
    ['other host', { dest: 'web01', user: 'gitlab-runner', parent_process_name: 'gitlab-runner' }],
    ['other user', { dest: 'ci-runner-07', user: 'root', parent_process_name: 'gitlab-runner' }],
    [
      'parent substring only',
      { dest: 'ci-runner-07', user: 'gitlab-runner', parent_process_name: 'gitlab-runner-helper' },
    ],
    [
      'pattern must match the whole command line',
      { dest: 'build01', process: 'docker build --no-cache -t evil/x /tmp/golden' },
    ],
  ])('no match: %s', (_, extra) => {
    const d = detect(ev(extra), options);
    expect(d.allowlisted).toBe(0);
    expect(d.risk_score).toBeGreaterThan(0);
    expect(d.alert_detail).toBeDefined();
  });
  it('golden-image row matches its exact pattern', () => {
    expect(
      detect(ev({ dest: 'build01', process: 'docker build --no-cache -t golden/base:1 /tmp/golden-base' }), options)
        .allowlisted,
    ).toBe(1);
  });
  it('events that are not T1612 activity are not annotated', () => {
    expect(detect(ev({ process: 'ls /tmp' }), options).allowlisted).toBeUndefined();
  });
});
