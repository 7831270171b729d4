/**
 * Every document a comment in src/ or test/ cites is in this repository (a clone can follow it), with the
 * section it names; no path into a folder outside the repository, no tracker issue numbers.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

function files(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, keep));
    else if (keep(e.name)) out.push(p);
  }
  return out;
}

const SOURCES = [
  ...files(path.join(ROOT, 'src'), (n) => n.endsWith('.ts')),
  ...files(path.join(ROOT, 'test'), (n) => n.endsWith('.ts') || n === 'PROVENANCE.md'),
].filter((f) => f !== __filename); // this file's examples are not citations

/**
 * `docs/x.md §N`, `x.md §N` (a docs/ page cited by name), and in-repo paths like test/fixtures/…/X.md; a
 * path right after a backticked upstream repository (`owner/repo` `docs/x.md`) is that repository's file.
 */
const CITATION =
  /(?<!`[\w.-]+\/[\w.-]+` `)(?<![\w/.-])((?:docs\/)?[\w-]+\.md)(?:\s+§(\d+(?:\.\d+)?))?|(?<![\w/.-])((?:test|app|src)\/[\w./-]+\.md)/g;

export function citations(text: string): { doc: string; section?: string }[] {
  const out: { doc: string; section?: string }[] = [];
  for (const m of text.matchAll(CITATION)) {
    if (m[3]) out.push({ doc: m[3] });
    else if (m[1].startsWith('docs/')) out.push({ doc: m[1], section: m[2] });
    else if (m[2]) out.push({ doc: `docs/${m[1]}`, section: m[2] });
  }
  return out;
}

function hasSection(doc: string, section: string): boolean {
  const heading = new RegExp(`^#{2,4} ${section.replace('.', '\\.')}[. ]`, 'm');
  return heading.test(fs.readFileSync(path.join(ROOT, doc), 'utf8'));
}

describe('doc references', () => {
  test('the citation finder sees docs/ pages, bare page names with a section, and in-repo paths', () => {
    expect(citations('lengths in bytes (docs/protocol.md §1), see packaging.md §5 and README.md')).toEqual([
      { doc: 'docs/protocol.md', section: '1' },
      { doc: 'docs/packaging.md', section: '5' },
    ]);
    expect(citations('see test/fixtures/samples/PROVENANCE.md; upstream docs/resources/apps_local.md')).toEqual([
      { doc: 'test/fixtures/samples/PROVENANCE.md' },
    ]);
    expect(citations('feeds in `wso2/esb-connector` `docs/managing_objects.md` and `docs/seed.md`')).toEqual([
      { doc: 'docs/seed.md', section: undefined },
    ]);
    expect(citations('docs/seed.md §6.2 and docs/detection.md')).toEqual([
      { doc: 'docs/seed.md', section: '6.2' },
      { doc: 'docs/detection.md', section: undefined },
    ]);
  });

  test('every cited document and section exists in the repository', () => {
    const missing: string[] = [];
    let count = 0;
    for (const file of SOURCES) {
      const rel = path.relative(ROOT, file);
      for (const { doc, section } of citations(fs.readFileSync(file, 'utf8'))) {
        count++;
        if (!fs.existsSync(path.join(ROOT, doc))) missing.push(`${rel}: ${doc}`);
        else if (section && !hasSection(doc, section)) missing.push(`${rel}: ${doc} §${section}`);
      }
    }
    expect(count).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  test('no path into a folder outside the repository, no issue numbers', () => {
    const found: string[] = [];
    for (const file of SOURCES) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/shared\/|issue [0-9]/i.test(line)) found.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
