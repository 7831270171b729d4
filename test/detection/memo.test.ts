/**
 * The detect() memo (src/detection/model/memo.ts): its key must hold every model-event field detect()
 * reads. detect is wrapped so that every event it scores is a Proxy recording property reads; the corpus,
 * the samples and the lab stream go through the command's own scoring (per event and the chunk stream:
 * audit assembly, lineage, GUIDs), with and without an allowlist.
 */
import type { DetectOptions, ModelEvent } from '../../src/detection/model/types';

const reads = new Set<string>();

function recording(ev: ModelEvent): ModelEvent {
  return new Proxy(ev, {
    get(t, p, r) {
      reads.add(typeof p === 'string' ? p : '(symbol)');
      return Reflect.get(t, p, r) as unknown;
    },
    has(t, p) {
      reads.add(`(in) ${String(p)}`);
      return Reflect.has(t, p);
    },
    ownKeys(t) {
      reads.add('(own keys)');
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor(t, p) {
      reads.add(`(descriptor) ${String(p)}`);
      return Reflect.getOwnPropertyDescriptor(t, p);
    },
  });
}

jest.mock('../../src/detection/model/detect', () => {
  const actual = jest.requireActual<typeof import('../../src/detection/model/detect')>(
    '../../src/detection/model/detect',
  );
  return { ...actual, detect: jest.fn((ev: ModelEvent, o: DetectOptions) => actual.detect(recording(ev), o)) };
});

import { detect } from '../../src/detection/model/detect';
import { DetectMemo, inputsOf, MEMO_CAP, MEMO_MAX_KEY, memoFor, ROLE } from '../../src/detection/model/memo';
import { makeDetectOptions, parseAllowlist } from '../../src/detection/model';
import { defaultScoreOptions, scoreEvent, ScoreOptions } from '../../src/pipeline/score-event';
import { StreamScorer } from '../../src/pipeline/stream';
import { parseTable, serializeRow } from '../../src/scp/csv';
import { transformTable } from '../../src/scp/records';
import { collectEvents } from '../../src/scan/scan';
import { getterOf, loadCorpus } from '../corpus/load';
import { labStream, SHAPES } from '../pipeline/helpers/lab-stream';
import { SAMPLES } from '../telemetry/samples';

const corpus = loadCorpus();
const ALLOWLIST = parseAllowlist(
  [
    'host,user,parent_process_name,process_pattern',
    'ci-*,gitlab-runner,,docker build *',
    ',,Runner.Worker,*',
    'edr-host,alice,,docker build -t web .',
  ].join('\n'),
);
const FIELDS = Object.keys(ROLE) as (keyof ModelEvent)[];
const KEY = FIELDS.filter((f) => ROLE[f] === 'key');
const ALLOWLIST_KEY = FIELDS.filter((f) => ROLE[f] !== 'unread');

const flat = (e: Record<string, string | string[]>): Record<string, string> =>
  Object.fromEntries(Object.entries(e).map(([k, v]) => [k, Array.isArray(v) ? v.join('\n') : v]));

/** Events through the chunk stream (newest first does not matter here), in chunks of 300. */
function stream(events: Record<string, string>[], options: ScoreOptions): Record<string, string>[] {
  const scorer = new StreamScorer(options);
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < events.length; i += 300) {
    const part = events.slice(i, i + 300);
    const names = [...new Set(part.flatMap((e) => Object.keys(e)))];
    const body = serializeRow(names) + part.map((e) => serializeRow(names.map((n) => e[n] ?? ''))).join('');
    const t = parseTable(scorer.scoreChunk(Buffer.from(body, 'utf8'), transformTable));
    for (const r of t.rows)
      rows.push(Object.fromEntries(t.fields.flatMap((f, j): [string, string][] => (r[j] === '' ? [] : [[f, r[j]]]))));
  }
  return rows;
}

const samples = collectEvents([SAMPLES]).events.map((e) => e.fields);
const lab = SHAPES.flatMap((s) => labStream(s).map((e) => e.fields));

/** Every event source, scored with `options`; the fields detect() read. */
function readsOver(options: () => ScoreOptions): Set<string> {
  reads.clear();
  (detect as jest.Mock).mockClear();
  for (const c of corpus) scoreEvent(getterOf(c.event), options());
  stream(
    corpus.map((c) => flat(c.event)),
    options(),
  );
  stream(samples, options());
  stream(lab, options());
  expect((detect as jest.Mock).mock.calls.length).toBeGreaterThan(500);
  return new Set(reads);
}

describe('the memo key holds every field detect() reads', () => {
  it('default options: only key fields (never host/dest, pid, file, truncation)', () => {
    const seen = readsOver(() => defaultScoreOptions());
    expect([...seen].filter((f) => !(KEY as string[]).includes(f))).toEqual([]);
    // the recording works: the fields every process event needs are seen
    for (const f of ['process', 'process_path', 'parent_process', 't1612_lineage', 'docker_api_form'])
      expect(seen).toContain(f);
  });
  it('with an allowlist: only key and allowlist fields, and host is read', () => {
    const seen = readsOver(() => ({ ...defaultScoreOptions(), detect: makeDetectOptions({ allowlist: ALLOWLIST }) }));
    expect([...seen].filter((f) => !(ALLOWLIST_KEY as string[]).includes(f))).toEqual([]);
    expect(seen).toContain('host');
  });
});

describe('inputsOf', () => {
  const base = (): ModelEvent => {
    const ev: Record<string, unknown> = {};
    for (const f of FIELDS) ev[f] = f === 't1612_lineage' ? ['a', 'b'] : `v-${f}`;
    return ev as unknown as ModelEvent;
  };
  it.each(FIELDS)('%s is in the inputs exactly as ROLE says', (f) => {
    const changed = base();
    (changed as unknown as Record<string, unknown>)[f] = f === 't1612_lineage' ? ['a', 'c'] : 'other';
    const gone = base();
    (gone as unknown as Record<string, unknown>)[f] = undefined;
    for (const allowlist of [false, true]) {
      const inKey = ROLE[f] === 'key' || (allowlist && ROLE[f] === 'allowlist');
      const a = inputsOf(base(), allowlist);
      expect([
        f,
        allowlist,
        a.length === inputsOf(changed, allowlist).length && a.every((v, i) => v === inputsOf(changed, allowlist)[i]),
      ]).toEqual([f, allowlist, !inKey]);
      expect(inputsOf(gone, allowlist).join('|') !== a.join('|')).toBe(inKey);
    }
  });
});

describe('DetectMemo', () => {
  const ev = (over: Partial<ModelEvent>): ModelEvent => ({ t1612_source: 'cim', event_kind: 'process', ...over });
  const build = ev({ process: 'docker build --no-cache -t x /tmp/ctx', process_id: '1', host: 'h1' });

  it('a repeated event (other pid, host) is a hit: the same frozen result as detect()', () => {
    const memo = new DetectMemo(makeDetectOptions());
    const a = memo.detect(build);
    const b = memo.detect({ ...build, process_id: '2', host: 'h2', dest: 'h2' });
    expect(b).toBe(a);
    expect([memo.hits, memo.misses]).toEqual([1, 1]);
    expect(Object.isFrozen(a) && Object.isFrozen(a.t1612_reasons)).toBe(true);
    expect(a).toEqual(detect(build, makeDetectOptions()));
    expect(a.risk_score).toBeGreaterThan(0);
  });
  it('with an allowlist the host is part of the key', () => {
    const options = makeDetectOptions({
      allowlist: parseAllowlist('host,user,parent_process_name,process_pattern\nh1,,,docker build *'),
    });
    const memo = new DetectMemo(options);
    expect(memo.detect(build).allowlisted).toBe(1);
    expect(memo.detect({ ...build, host: 'h2' }).allowlisted).toBe(0);
    expect(memo.misses).toBe(2);
  });
  it('equal keys of different inputs (a value holding the separator, undefined vs empty) are misses', () => {
    const memo = new DetectMemo(makeDetectOptions());
    const a = ev({ process: 'docker build /tmp/x\u0000docker', process_name: undefined });
    const b = ev({ process: 'docker build /tmp/x', process_name: 'docker\u0000' });
    expect(inputsOf(a, false).join('\u0000')).toBe(inputsOf(b, false).join('\u0000'));
    memo.detect(a);
    expect(memo.detect(b)).toEqual(detect(b, makeDetectOptions()));
    const c = ev({ process: 'docker build /tmp/x', user: '' });
    memo.detect(c);
    memo.detect(ev({ process: 'docker build /tmp/x' }));
    expect([memo.hits, memo.misses]).toEqual([0, 4]);
  });
  it('is bounded: starts over after MEMO_CAP distinct events', () => {
    const memo = new DetectMemo(makeDetectOptions(), 8);
    for (let i = 0; i < 20; i++) memo.detect(ev({ process: `docker ps -n ${i}` }));
    expect(memo.size).toBeLessThanOrEqual(8);
    expect(MEMO_CAP).toBeLessThanOrEqual(10000);
  });
  it('events with long inputs are scored without the memo', () => {
    const memo = new DetectMemo(makeDetectOptions());
    const long = ev({ process: `docker build -t x /tmp/${'a'.repeat(MEMO_MAX_KEY)}` });
    expect(memo.detect(long)).toEqual(detect(long, makeDetectOptions()));
    expect([memo.size, memo.hits, memo.misses]).toEqual([0, 0, 0]);
    memo.detect(build);
    expect(memo.size).toBe(1);
  });
  it('one memo per options object; options are frozen', () => {
    const o1 = makeDetectOptions();
    const o2 = makeDetectOptions({ threshold: 9 });
    expect(memoFor(o1)).toBe(memoFor(o1));
    expect(memoFor(o1)).not.toBe(memoFor(o2));
    expect(memoFor(o2).detect(build).alert_detail).toBeUndefined();
    expect(memoFor(o1).detect(build).alert_detail).toBeDefined();
    expect(Object.isFrozen(o1) && Object.isFrozen(o1.weights)).toBe(true);
  });
});

it('scoring with a warm memo gives what fresh options give, event by event (corpus, stream)', () => {
  const warm = defaultScoreOptions();
  const events = corpus.map((c) => flat(c.event));
  stream(events, warm);
  // the same events again, pids/times changed, in reverse order: all hits
  const again = events.map((e) => ({ ...e, process_id: e.process_id ? e.process_id + '7' : '' })).reverse();
  const before = memoFor(warm.detect).hits;
  const second = stream(again, warm).reverse();
  expect(memoFor(warm.detect).hits - before).toBeGreaterThan(100);
  const cold = stream(again, defaultScoreOptions()).reverse();
  expect(second).toEqual(cold);
  for (const c of corpus) {
    const fresh = scoreEvent(getterOf(c.event), defaultScoreOptions());
    expect([c.id, scoreEvent(getterOf(c.event), warm).ops]).toEqual([c.id, fresh.ops]);
  }
});
