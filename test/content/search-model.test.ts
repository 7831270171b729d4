/**
 * The Splunk term-matching model (src/content/segment.ts, search-model.ts) against the behaviour Splunk
 * documents: the Search Manual's "Event segmentation and searching" example and segmenters.conf's rules.
 */
import { indexedTerms, majorSegments, termParts } from '../../src/content/segment';
import { parseSearch, SearchModelError, searchMatches } from '../../src/content/search-model';

const terms = (s: string) => [...indexedTerms(s)].sort();

describe('segmentation', () => {
  test('search-manual-ip-and-date: major segments, then minor segments and prefixes up to each minor breaker', () => {
    expect(majorSegments('91.205.189.15 - - [13/Aug/2022:18:22:16]')).toEqual([
      '91.205.189.15',
      '-',
      '-',
      '13/aug/2022:18:22:16',
    ]);
    const t = indexedTerms('91.205.189.15 x');
    for (const x of ['91.205.189.15', '91', '205', '189', '15', '91.205', '91.205.189']) expect(t.has(x)).toBe(true);
    // not a segment: only prefixes from the major-segment start are indexed, not inner runs
    expect(t.has('205.189')).toBe(false);
  });

  test('auditd-proctitle-hex-is-one-term: proctitle=<hex> gives the key, the whole hex and the pair', () => {
    expect(terms('proctitle=646F636B6572006275696C64')).toEqual([
      '646f636b6572006275696c64',
      'proctitle',
      'proctitle=646f636b6572006275696c64',
    ]);
  });

  test('dockerd-journald-prefix: "dockerd[812]:" indexes dockerd (brackets are major breakers), not docker', () => {
    const t = indexedTerms('vm dockerd[812]: level=debug');
    expect(t.has('dockerd')).toBe(true);
    expect(t.has('docker')).toBe(false);
  });

  test('url-encoded and double-dash major breakers', () => {
    expect(majorSegments('a%20b--c%2526d')).toEqual(['a', 'b', 'c', 'd']);
    // a single dash is minor: --no-cache is split at the major "--", then no-cache at the minor "-"
    expect(terms('--no-cache')).toEqual(['no', 'no-cache', 'cache'].sort());
  });

  test('search terms are looked up by their breaker-free parts', () => {
    expect(termParts('/var/run/docker.sock')).toEqual(['var', 'run', 'docker', 'sock']);
    expect(termParts('form data')).toEqual(['form', 'data']);
  });
});

describe('search command semantics', () => {
  const ev = { _raw: 'type=EXECVE msg=audit(1:2): argc=3 a0="bash" a1="-c" a2=6364', sourcetype: 'linux:audit' };

  test('terms are case-insensitive and must be whole indexed terms', () => {
    expect(searchMatches('BASH', ev)).toBe(true);
    expect(searchMatches('bas', ev)).toBe(false);
    expect(searchMatches('bas*', ev)).toBe(true);
    expect(searchMatches('63*', ev)).toBe(true);
    expect(searchMatches('64*', ev)).toBe(false);
  });

  test('a phrase needs its parts indexed and the phrase itself in the event', () => {
    const dockerd = { _raw: 'level=debug msg="form data: {}"' };
    expect(searchMatches('"form data"', dockerd)).toBe(true);
    expect(searchMatches('"data form"', dockerd)).toBe(false);
    expect(searchMatches('"-c"', ev)).toBe(true);
    expect(searchMatches('"-x"', ev)).toBe(false);
  });

  test('OR binds tighter than the implicit AND; NOT binds tightest', () => {
    // a AND (b OR c): false when a is missing, whatever b/c
    expect(searchMatches('nothere bash OR execve', ev)).toBe(false);
    expect(searchMatches('execve nothere OR bash', ev)).toBe(true);
    expect(searchMatches('NOT nothere bash', ev)).toBe(true);
    expect(searchMatches('NOT bash OR execve', ev)).toBe(true);
    expect(searchMatches('(NOT bash) execve', ev)).toBe(false);
  });

  test('field=value is case-insensitive with * wildcards; a missing field never matches', () => {
    expect(searchMatches('sourcetype="LINUX:AUDIT"', ev)).toBe(true);
    expect(searchMatches('sourcetype=*audit*', ev)).toBe(true);
    expect(searchMatches('sourcetype="*docker*"', ev)).toBe(false);
    expect(searchMatches('source="x"', ev)).toBe(false);
    expect(searchMatches('source!="x"', ev)).toBe(false);
    expect(searchMatches('index=*', ev)).toBe(true);
  });

  test('an event without _raw matches no term (tstats rows go through the CIM search)', () => {
    expect(searchMatches('docker*', { process: 'docker build .' })).toBe(false);
  });

  test('wildcards the model cannot reproduce exactly are refused', () => {
    expect(() => searchMatches('*docker', ev)).toThrow(SearchModelError);
    expect(() => searchMatches('do*ker', ev)).toThrow(SearchModelError);
    expect(() => parseSearch('(a OR b')).toThrow(SearchModelError);
  });
});
