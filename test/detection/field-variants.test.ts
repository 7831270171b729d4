/**
 * Field shapes found when the model was scored blind on test/corpus/variants-3.jsonl: cmd.exe caret
 * escapes, buildah's boolean commit flags, a build run under a web server's service account. Each both ways.
 */
import { detect, ModelEvent } from '../../src/detection/model';
import { tokenize } from '../../src/detection/model/tokenize';
import { collectExecs } from '../../src/detection/model/unwrap';
import { webServerAccount } from '../../src/detection/model/parent';

const ev = (process: string, extra: Partial<ModelEvent> = {}): ModelEvent => ({
  t1612_source: 'test',
  event_kind: 'process',
  process,
  ...extra,
});
const words = (s: string, carets: boolean): string[] =>
  tokenize(s, true, false, carets)
    .filter((t) => t.kind === 'word')
    .map((t) => t.value);

describe('cmd-caret-escapes', () => {
  it('a script cmd.exe runs: an unquoted ^ escapes the next character, a quoted one is literal', () => {
    expect(words('d^oc^ker b^uild -t x "a^b" c^', true)).toEqual(['docker', 'build', '-t', 'x', 'a^b', 'c']);
  });

  it("a process's own argv (CommandLineToArgvW) keeps its carets", () => {
    expect(words('docker build --build-arg RE=^v[0-9] .', false)).toContain('RE=^v[0-9]');
  });

  it('cmd /c "d^oc^ker b^uild … %TEMP%" is a build from temp; the same carets outside cmd are not a builder', () => {
    const line = 'cmd.exe /c "d^oc^ker b^uild -t eng C:\\Users\\a\\AppData\\Local\\Temp\\e"';
    expect(collectExecs(line, true, 'C:\\Users\\a').map((e) => e.argv.slice(0, 2))).toContainEqual(['docker', 'build']);
    const d = detect(ev(line, { process_path: 'C:\\Windows\\System32\\cmd.exe' }));
    expect([d.t1612_activity, d.from_temp]).toEqual(['build', 1]);
    expect(detect(ev('notepad.exe d^oc^ker b^uild -t eng C:\\Users\\a\\AppData\\Local\\Temp\\e')).t1612_activity).toBe(
      'none',
    );
  });
});

describe('buildah-commit-boolean-flags', () => {
  it('--rm / --squash do not take the container as their value: the target name is still read', () => {
    const d = detect(ev('buildah commit --rm --squash wc-7f docker.io/library/alpine:3.20'));
    expect([d.t1612_activity, d.commit_trusted]).toEqual(['commit', 1]);
  });

  it('a commit onto a private name is not commit_trusted', () => {
    const d = detect(ev('buildah commit --rm wc-7f registry.example.net/team/tools:1'));
    expect([d.t1612_activity, d.commit_trusted]).toEqual(['commit', 0]);
  });
});

describe('web-server-account', () => {
  it.each([
    ['www-data', 'www-data'],
    ['IIS APPPOOL\\DefaultAppPool', 'IIS APPPOOL\\DefaultAppPool'],
    ['CORP\\apache', 'CORP\\apache'],
    ['alice', undefined],
    ['CORP\\svc_build', undefined],
    ['wwwdata', undefined],
  ])('%s', (user, want) => expect(webServerAccount(user)).toBe(want));

  it('a build run as www-data is launched by the web server (suspicious_parent); as a developer it is not', () => {
    const build = 'docker build -t x /srv/app';
    expect(detect(ev(build, { user: 'www-data' })).suspicious_parent).toBe(1);
    expect(detect(ev(build, { user: 'IIS APPPOOL\\DefaultAppPool' })).risk_score).toBe(2);
    expect(detect(ev(build, { user: 'alice' })).suspicious_parent).toBe(0);
  });

  it('a CI runner chain wins over the account (a runner service is never www-data, but the chain is evidence)', () => {
    const d = detect(
      ev('docker build -t x .', {
        user: 'www',
        parent_process: '/home/runner/runners/2.320.0/bin/Runner.Worker spawnclient 1 2',
      }),
    );
    expect(d.suspicious_parent).toBe(0);
  });
});
