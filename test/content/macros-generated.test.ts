/**
 * default/macros.conf carries exactly what the generator (src/content/macros.ts) makes from the detection
 * model's vocabulary (src/detection/model/prefilter.ts): `npm run build:content` writes it.
 */
import * as fs from 'fs';
import { applyGenerated, BEGIN_MARKER, END_MARKER, GeneratedBlockError } from '../../src/content/macros';
import {
  API_PATH_WORDS,
  DOCKERD,
  hexOf,
  PORTS,
  prefilterTerms,
  SHORT_WORDS,
  WORDS,
} from '../../src/content/vocabulary';
import * as model from '../../src/detection/model/prefilter';
import { parseSearch, searchMatches } from '../../src/content/search-model';
import { appMacros, expand, MACROS_PATH } from './conf';

const committed = fs.readFileSync(MACROS_PATH, 'utf8');

test('default/macros.conf equals the generator output (run npm run build:content)', () => {
  expect(applyGenerated(committed)).toBe(committed);
});

test('a hand edit inside the generated block is detected', () => {
  const edited = committed.replace('docker* OR ', '');
  expect(edited).not.toBe(committed);
  expect(applyGenerated(edited)).not.toBe(edited);
  expect(applyGenerated(edited)).toBe(committed);
});

test('a macros.conf without the markers is an error, not a silent append', () => {
  expect(() => applyGenerated(committed.replace(BEGIN_MARKER, '# x'))).toThrow(GeneratedBlockError);
  expect(() => applyGenerated(committed.replace(END_MARKER, '# y'))).toThrow(GeneratedBlockError);
});

test('the generated macros are defined once each', () => {
  const names = [...committed.matchAll(/^\[([^\]]+)\]$/gm)].map((m) => m[1]);
  for (const n of ['t1612_prefilter', 't1612_sources', 't1612_cim_filter', 't1612_dockerd_sources'])
    expect(names.filter((x) => x === n)).toEqual([n]);
});

describe('every vocabulary entry of the model reaches the prefilter', () => {
  const prefilter = parseSearch(expand('`t1612_prefilter`'));
  const macros = appMacros();

  test.each(WORDS.map((w) => [w]))('tool word %s: as a plain term and as the auditd hex of argv0', (w) => {
    expect(searchMatches(prefilter, { _raw: `a0="${w}" a1="build"` })).toBe(true);
    expect(searchMatches(prefilter, { _raw: `proctitle=${hexOf(`${w}\0build\0.`)}` })).toBe(true);
    expect(searchMatches(prefilter, { _raw: `proctitle=${hexOf(`/usr/bin/${w}\0build\0.`)}` })).toBe(true);
  });

  test("the lists are the model's own", () => {
    expect(WORDS).toBe(model.WORDS);
    expect(PORTS).toBe(model.PORTS);
    expect(DOCKERD).toBe(model.DOCKERD);
  });

  test('short tool words (whole terms) and API paths (after a version prefix), as the model exports them', () => {
    for (const w of SHORT_WORDS) expect(searchMatches(prefilter, { _raw: `a0="${w}" a1="build"` })).toBe(true);
    for (const a of API_PATH_WORDS)
      expect(searchMatches(prefilter, { _raw: `GET http://10.1.2.3:8080/v1.41${a}?t=x HTTP/1.1` })).toBe(true);
  });

  test('short-word-img-is-a-whole-term and api-path-build-is-a-phrase, for a vocabulary that has them', () => {
    const v = { words: ['docker'], shortWords: ['img'], ports: ['4243'], apiPaths: ['/build'], dockerd: [] };
    const node = parseSearch(
      `(${prefilterTerms(v)
        .map((t) => t.term)
        .join(' OR ')})`,
    );
    expect(searchMatches(node, { _raw: 'a0="img" a1="build" a2="-t"' })).toBe(true);
    expect(searchMatches(node, { _raw: 'a0="imagemagick" a1="x"' })).toBe(false);
    expect(searchMatches(node, { _raw: 'POST http://10.0.0.5:8080/v1.43/build?t=x' })).toBe(true);
    expect(searchMatches(node, { _raw: 'nc 10.0.0.5 4243' })).toBe(true);
    expect(searchMatches(node, { _raw: 'type=SOCKADDR msg=audit(1:2): saddr=020010930A0000050000000000000000' })).toBe(
      true,
    );
  });

  test.each(PORTS.map((p) => [p]))('API port %s in a URL', (p) => {
    expect(searchMatches(prefilter, { _raw: `curl -X POST http://10.1.2.3:${p}/v1.41/build` })).toBe(true);
  });

  test.each(DOCKERD.map((d) => [d]))('dockerd phrase %j', (d) => {
    expect(searchMatches(prefilter, { _raw: `level=debug msg="${d.trim()} /v1.41/x"` })).toBe(true);
  });

  test('the macro lists every generated term, in order', () => {
    expect(macros.get('t1612_prefilter')?.definition).toBe(
      `(${prefilterTerms()
        .map((t) => t.term)
        .join(' OR ')})`,
    );
  });
});
