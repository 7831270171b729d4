/**
 * PREFILTER_ANCHORS must hold a literal of every text EVIDENCE_PREFILTER matches: the command skips the
 * regex on rows without one (src/scp/wasm/csv-index.ts, row-stream.ts matches), so a match without an
 * anchor would be an event never scored. Checked on the labelled corpus, the samples, every literal
 * alternative of the regex, and random text built from the fragments its parts look for.
 */
import fc from 'fast-check';
import { EVIDENCE_PREFILTER, PREFILTER_ANCHORS } from '../../src/detection/model/prefilter';
import { collectEvents } from '../../src/scan/scan';
import { loadCorpus } from '../corpus/load';
import { SAMPLES } from '../telemetry/samples';

const anchored = (text: string, anchors: readonly string[]) => {
  const t = text.toLowerCase();
  return anchors.some((a) => t.includes(a.toLowerCase()));
};

/** The row as the command's matcher sees it: UTF-8 bytes read as latin1. */
const asRow = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

function expectAnchored(text: string): void {
  const row = asRow(text);
  if (EVIDENCE_PREFILTER.test(row) && !anchored(row, PREFILTER_ANCHORS)) expect({ unanchored: row }).toBeNull();
}

describe('prefilter anchors', () => {
  test('every corpus event and sample event the prefilter accepts holds an anchor', () => {
    const texts = [
      ...loadCorpus().map((c) => Object.values(c.event).flat().join(',')),
      ...collectEvents([SAMPLES]).events.map((e) => Object.values(e.fields).join(',')),
    ];
    let matched = 0;
    for (const t of texts) {
      expectAnchored(t);
      if (EVIDENCE_PREFILTER.test(asRow(t))) matched++;
    }
    expect(matched).toBeGreaterThan(300); // the check means something only on many matches
  });

  test('each of the regex parts, matched on its own, is anchored', () => {
    const parts = (EVIDENCE_PREFILTER as RegExp & { parts: RegExp[] }).parts;
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const samples = [
      'x docker y',
      'PODMAN',
      'BuildX',
      'executor --context',
      'Calling POST',
      'form data:',
      'tcp://h:2375',
      'h 4243',
      '646F636B6572',
      '32333735',
      'GET /images/create?',
      '/build?t=x',
      'run img build',
      'ctr images',
      "d''ocker",
      '27276F',
      '2222646F',
      'd^ocker',
      '020009470A',
      'sh -c "d\\"o\\"cker"',
      "sh -c 'p'o'dman'",
      'sh -c\td\\ocker',
      'bash -c d""ocker',
    ];
    for (const s of samples) {
      expect({ s, matches: EVIDENCE_PREFILTER.test(asRow(s)) }).toEqual({ s, matches: true });
      expectAnchored(s);
    }
  });

  test('property: random text from the fragments the parts look for', () => {
    const frag = fc.constantFrom(
      'd',
      'o',
      'c',
      'k',
      'e',
      'r',
      'D',
      'K',
      '"',
      "'",
      '\\',
      '^',
      '-',
      '-c',
      ' ',
      '\t',
      '\u00a0',
      '2',
      '7',
      '6',
      'f',
      '/',
      'img',
      'ctr',
      'build',
      'images/',
      '0200',
      '0947',
      'x',
      '""',
      "''",
    );
    fc.assert(
      fc.property(fc.array(frag, { maxLength: 30 }), (bits) => expectAnchored(bits.join(''))),
      { numRuns: 5000 },
    );
  });

  test('an anchor holds `"` only as its last character, so the CSV-escaped row (`"` doubled) still holds it', () => {
    // The row pass searches the row's CSV bytes; the pre-pass and the model test the decoded value.
    for (const a of PREFILTER_ANCHORS) expect({ a, inner: a.slice(0, -1).includes('"') }).toEqual({ a, inner: false });
    const escaped = (s: string) => s.replace(/"/g, '""');
    for (const a of PREFILTER_ANCHORS) expect(anchored(escaped(`x ${a} y`), PREFILTER_ANCHORS)).toBe(true);
  });
});
