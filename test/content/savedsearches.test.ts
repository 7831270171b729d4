/**
 * The shipped searches (default/savedsearches.conf, the dashboard): the product alert returns one row per
 * build incident with Enterprise Security fields, the CIM search maps Endpoint.Processes, dashboard and
 * hunting share the grouping and the score options, and the seed alert still runs the published SPL.
 */
import * as fs from 'fs';
import * as path from 'path';
import { splitPipeline } from '../../src/packaging/spl';
import { expand, ROOT, savedSearches } from './conf';

const PRODUCT = 'T1612 - Build Image on Host';
const CIM = 'T1612 - Build Image on Host (CIM Endpoint.Processes)';
const SEED = 'T1612 - Build Image on Host (seed SPL)';
const searches = savedSearches();

function stanza(name: string): Map<string, string> {
  const s = searches.get(name);
  if (!s) throw new Error(`no [${name}] in savedsearches.conf`);
  return s;
}

function segments(spl: string): string[] {
  return splitPipeline(expand(spl)).segments.map((s) => s.trim().replace(/\s+/g, ' '));
}

/** The `stats … by <fields>` segment(s) of a search, as [aggregations, by-fields]. */
function statsBy(spl: string): [string, string][] {
  return segments(spl)
    .map((s) => /^stats (.*) by ([\w, ]+)$/.exec(s))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2].trim()]);
}

/** Output columns of the grouped searches (the table command of t1612_incident_columns). */
function columns(): string[] {
  const t = segments('`t1612_incident_columns`').find((s) => s.startsWith('table '));
  return (t ?? '')
    .slice(6)
    .split(/[\s,]+/)
    .filter(Boolean);
}

describe.each([PRODUCT, CIM])('[%s] one row per build incident', (name) => {
  const s = stanza(name);
  const spl = s.get('search') ?? '';

  test('groups scored rows with stats by dest t1612_incident, after dropping t1612_role=record rows', () => {
    const segs = segments(spl);
    const t1612 = segs.findIndex((x) => x.startsWith('t1612score '));
    const where = segs.findIndex((x) => x === 'where isnull(t1612_role) OR t1612_role!="record"');
    const groups = statsBy(spl);
    expect(groups.map((g) => g[1])).toEqual(['dest t1612_incident']);
    const stats = segs.findIndex((x) => x.startsWith('stats ') && x.endsWith(' by dest t1612_incident'));
    expect(t1612).toBeGreaterThanOrEqual(0);
    expect(where).toBeGreaterThan(t1612);
    expect(stats).toBeGreaterThan(where);
    const aggs = groups[0][0];
    for (const a of [
      'min(_time) as firstTime',
      'max(_time) as lastTime',
      'max(risk_score) as t1612_score',
      'values(t1612_reasons) as t1612_reasons',
      'values(user) as user',
      'values(t1612_tool) as t1612_tool',
      'values(t1612_image) as t1612_image',
    ])
      expect(aggs).toContain(a);
  });

  test('risk_score after the grouping is the ES scale from the tier, not the model points', () => {
    const segs = segments(spl);
    const stats = segs.findIndex((x) => x.startsWith('stats '));
    const riskEval = segs.findIndex((x, i) => i > stats && /^eval risk_score=\s*case\(/.test(x));
    expect(riskEval).toBeGreaterThan(stats);
    expect(segs[riskEval]).toContain('t1612_tier_rank>=4, 100');
    expect(segs[riskEval]).toContain('true(), 25');
  });

  test('throttled per dest + t1612_incident, one alert per row', () => {
    expect(s.get('alert.suppress')).toBe('1');
    expect(s.get('alert.suppress.fields')).toBe('dest,t1612_incident');
    expect(s.get('alert.digest_mode')).toBe('0');
    expect(s.get('counttype')).toBe('number of events');
  });

  test('ES risk: dest system and user user risk objects, process/image/URL threat objects, all output columns', () => {
    const risk = JSON.parse(s.get('action.risk.param._risk') ?? '') as Record<string, unknown>[];
    expect(risk).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ risk_object_field: 'dest', risk_object_type: 'system' }),
        expect.objectContaining({ risk_object_field: 'user', risk_object_type: 'user' }),
        expect.objectContaining({ threat_object_field: 'process', threat_object_type: 'process' }),
        expect.objectContaining({ threat_object_field: 't1612_image' }),
        expect.objectContaining({ threat_object_field: 't1612_remote_url', threat_object_type: 'url' }),
      ]),
    );
    const cols = columns();
    for (const r of risk) expect(cols).toContain(r.risk_object_field ?? r.threat_object_field);
  });

  test('ES notable drilldowns: JSON list with name/search/earliest_offset/latest_offset', () => {
    const dd = JSON.parse(s.get('action.notable.param.drilldown_searches') ?? '') as Record<string, string>[];
    expect(dd.length).toBe(2);
    for (const d of dd) expect(Object.keys(d).sort()).toEqual(['earliest_offset', 'latest_offset', 'name', 'search']);
    const incident = dd.find((d) => d.search.includes('$t1612_incident$'));
    expect(incident).toMatchObject({ earliest_offset: '$info_min_time$', latest_offset: '$info_max_time$' });
    expect(incident?.search).toContain('dest="$dest$"');
    const riskWeek = dd.find((d) => d.search.includes('Risk.All_Risk'));
    expect(riskWeek).toMatchObject({ earliest_offset: '7d', latest_offset: '0' });
    expect(riskWeek?.search).toContain('$dest$');
  });

  test('ES correlation metadata: annotations JSON with T1612 and a story, detection type', () => {
    const ann = JSON.parse(s.get('action.correlationsearch.annotations') ?? '') as Record<string, string[]>;
    expect(ann.mitre_attack).toContain('T1612');
    expect(ann.analytic_story?.length).toBeGreaterThan(0);
    expect(s.get('action.correlationsearch.detection_type')).toBe('ebd');
    expect(s.get('action.notable.param.nes_fields')).toBe('dest,t1612_incident');
  });

  test('every $token$ of the risk message and notable title/description is an output column', () => {
    const cols = columns();
    for (const key of [
      'action.risk.param._risk_message',
      'action.notable.param.rule_title',
      'action.notable.param.rule_description',
    ]) {
      const tokens = [...(s.get(key) ?? '').matchAll(/\$([\w.]+)\$/g)].map((m) => m[1]);
      expect(tokens.length).toBeGreaterThan(0);
      for (const t of tokens) expect(cols).toContain(t);
    }
  });
});

test('the CIM search reads Endpoint.Processes and hands the command its field names', () => {
  const segs = segments(stanza(CIM).get('search') ?? '');
  const tstats = segs.find((x) => x.startsWith('tstats ')) ?? '';
  expect(tstats).toContain('from datamodel=Endpoint.Processes');
  expect(tstats).toMatch(/fillnull_value=/);
  expect(segs).toContain('rename Processes.* as *');
  const by = /\bby (.*)$/.exec(tstats)?.[1].split(' ') ?? [];
  for (const f of [
    'process',
    'process_name',
    'process_path',
    'parent_process',
    'parent_process_name',
    'process_current_directory',
    'user',
    'dest',
    'process_guid',
    'parent_process_guid',
  ])
    expect(by).toContain(`Processes.${f}`);
  expect(segs.findIndex((x) => x.startsWith('t1612score '))).toBeGreaterThan(segs.indexOf('rename Processes.* as *'));
});

describe('dashboard and hunting searches use the same grouping and score options', () => {
  const view = fs.readFileSync(path.join(ROOT, 'default', 'data', 'ui', 'views', 't1612_overview.xml'), 'utf8');
  const base = /<search id="base">\s*<query>([\s\S]*?)<\/query>/.exec(view)?.[1] ?? '';
  const unxml = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  const hunts = [...searches.keys()].filter((n) => n.startsWith('T1612 - Hunt - '));
  const cases: [string, string][] = [
    ['dashboard base search', unxml(base)],
    ...hunts.map((n): [string, string] => [n, stanza(n).get('search') ?? '']),
  ];

  test('there are hunting searches and a dashboard base search', () => {
    expect(hunts.length).toBeGreaterThanOrEqual(3);
    expect(base).not.toBe('');
  });

  test.each(cases)('%s', (_name, spl) => {
    expect(statsBy(spl)[0]?.[1]).toBe('dest t1612_incident');
    const segs = segments(spl);
    const options = segments('| t1612score `t1612_score_options`').find((x) => x.startsWith('t1612score'));
    expect(segs).toContain(options);
  });
});

describe('the seed alert runs the published seed SPL', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'seeds', '000_2a58f1ec08a45bed.txt'), 'utf8');
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith('index=*'));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('| sort'));
  const published = lines.slice(start, end + 1).join('\n');
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

  test('only the changes its description lists: t1612_index, sort 0, the tuning macro', () => {
    expect(start).toBeGreaterThanOrEqual(0);
    const expected = published
      .replace(/^index=\*/, '`t1612_index`')
      .replace(/\| sort -risk_score, -_time$/, '| sort 0 -risk_score, -_time')
      .concat('\n| `t1612_build_image_on_host_filter`');
    expect(expected).not.toBe(published);
    expect(norm(stanza(SEED).get('search') ?? '')).toBe(norm(expected));
  });

  test('it keeps its per-host-and-user throttle and host risk object', () => {
    const s = stanza(SEED);
    expect(s.get('alert.suppress.fields')).toBe('host,user');
    expect(s.get('action.risk.param._risk')).toContain('"risk_object_field": "host"');
  });
});
