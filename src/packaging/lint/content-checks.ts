/** .conf files against Splunk's specs, lookups, icons, dashboards and navigation. */
import * as fs from 'fs';
import * as path from 'path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { stanzaMap } from '../conf';
import { pngSize } from '../png';
import { parseSpec, validateAgainstSpec } from '../spec';
import { Check } from './context';

export const VIEW_FILE = /^default\/data\/ui\/views\/([^/]+)\.xml$/;

export const confSpec: Check = {
  name: 't1612_conf_spec',
  description:
    "every stanza and key of default/*.conf and metadata/default.meta is documented in Splunk's .spec (10.4.2) and simple values match",
  run(ctx, r) {
    for (const [rel, conf] of ctx.confs) {
      const m = /^default\/([^/]+)\.conf$/.exec(rel);
      const specName = m ? `${m[1]}.conf.spec` : 'default.meta.spec';
      const specPath = path.join(ctx.opts.specDir, specName);
      if (!fs.existsSync(specPath)) {
        r.fail(`${rel}: no ${specName} in ${ctx.opts.specDir}, so it cannot be validated`);
        continue;
      }
      const spec = parseSpec(specName, fs.readFileSync(specPath, 'utf8'));
      for (const f of validateAgainstSpec(conf, spec)) r.fail(`${rel}:${f.line}: ${f.message}`);
    }
    for (const s of ctx.confs.get('default/transforms.conf')?.stanzas ?? []) {
      const fn = stanzaMap(s).get('filename');
      if (fn && !ctx.files.has(`lookups/${fn}`))
        r.fail(`transforms.conf [${s.name}] filename ${fn} is not in lookups/`);
    }
  },
};

/** What is wrong with a lookup CSV, in AppInspect's terms (empty list when nothing). */
export function csvProblems(buf: Buffer): string[] {
  const problems: string[] = [];
  if (buf.length === 0) return ['file is empty'];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return ['not valid UTF-8'];
  }
  if (/\r(?!\n)/.test(text)) problems.push('has CR-only line endings');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (q) problems.push('unterminated quoted field');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  if (!rows.length) return [...problems, 'no header row'];
  const header = text.split(/\r?\n/, 1)[0];
  if (header.length > 4096) problems.push(`header is ${header.length} characters (max 4096)`);
  if (rows[0].length < 2) problems.push(`header has ${rows[0].length} column (min 2)`);
  rows.forEach((r, n) => {
    if (r.length !== rows[0].length)
      problems.push(`row ${n + 1} has ${r.length} columns, header has ${rows[0].length}`);
  });
  return problems;
}

export const lookupCsvValid: Check = {
  name: 'check_lookup_csv_is_valid',
  description:
    'lookup CSVs: non-empty, UTF-8, >= 2 columns, header <= 4096 chars, no CR-only line ends, same column count per row',
  run(ctx, r) {
    for (const [rel, e] of ctx.files) {
      if (!/^lookups\/.*\.csv$/i.test(rel)) continue;
      for (const p of csvProblems(e.data)) r.fail(`${rel}: ${p}`);
    }
  },
};

const ICONS: [string, number, number, boolean][] = [
  ['static/appIcon.png', 36, 36, true],
  ['static/appIcon_2x.png', 72, 72, true],
  ['static/appIconAlt.png', 36, 36, false],
  ['static/appIconAlt_2x.png', 72, 72, false],
  ['static/appLogo.png', 160, 40, false],
  ['static/appLogo_2x.png', 320, 80, false],
];

export const iconDimensions: Check = {
  name: 'check_app_icon_dimensions',
  description:
    'static/appIcon.png is 36x36 and static/appIcon_2x.png 72x72 (optional alt/logo icons within their limits)',
  run(ctx, r) {
    for (const [rel, w, h, required] of ICONS) {
      const e = ctx.files.get(rel);
      if (!e) {
        if (required) r.fail(`${rel} is missing`);
        continue;
      }
      try {
        const size = pngSize(e.data);
        const ok = required ? size.width === w && size.height === h : size.width <= w && size.height <= h;
        if (!ok) r.fail(`${rel} is ${size.width}x${size.height}, expected ${required ? '' : 'at most '}${w}x${h}`);
      } catch (err) {
        r.fail(`${rel}: ${(err as Error).message}`);
      }
    }
  },
};

const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });

export const simpleXmlVersion: Check = {
  name: 'check_simplexml_standards_version',
  description: 'views are well-formed XML with <dashboard|form version="1.1">',
  run(ctx, r) {
    for (const [rel, e] of ctx.files) {
      if (!VIEW_FILE.test(rel)) continue;
      const xml = e.data.toString('utf8');
      const valid = XMLValidator.validate(xml);
      if (valid !== true) {
        r.fail(`${rel}: not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
        continue;
      }
      const doc = xmlParser.parse(xml) as Record<string, Record<string, unknown> | string>;
      const root = Object.keys(doc).find((k) => k !== '?xml');
      const rootEl = root ? doc[root] : undefined;
      const version = typeof rootEl === 'object' && rootEl ? rootEl['@_version'] : undefined;
      if (root !== 'dashboard' && root !== 'form')
        r.fail(`${rel}: root element <${root}> is not <dashboard> or <form>`);
      else if (version !== '1.1') r.fail(`${rel}: <${root}> needs version="1.1" (got ${JSON.stringify(version)})`);
    }
  },
};

const BUILTIN_VIEWS = new Set(['search', 'datasets', 'reports', 'alerts', 'dashboards', 'analytics_workspace']);

export const navXml: Check = {
  name: 't1612_nav_xml',
  description: 'project rule: nav XML is well-formed with a <nav> root and its views exist',
  run(ctx, r) {
    const viewNames = new Set<string>();
    for (const rel of ctx.files.keys()) {
      const m = VIEW_FILE.exec(rel);
      if (m) viewNames.add(m[1]);
    }
    for (const [rel, e] of ctx.files) {
      if (!/^default\/data\/ui\/nav\/[^/]+\.xml$/.test(rel)) continue;
      const xml = e.data.toString('utf8');
      const valid = XMLValidator.validate(xml);
      if (valid !== true) {
        r.fail(`${rel}: not well-formed XML: ${valid.err.msg}`);
        continue;
      }
      if (!/^\s*(<\?xml[^>]*>\s*)?<nav\b/.test(xml)) r.fail(`${rel}: root element is not <nav>`);
      for (const v of xml.matchAll(/<view\s+name="([^"]+)"/g))
        if (!viewNames.has(v[1]) && !BUILTIN_VIEWS.has(v[1]))
          r.fail(`${rel}: view "${v[1]}" does not exist in default/data/ui/views/`);
    }
  },
};
