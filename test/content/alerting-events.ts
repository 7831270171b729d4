/**
 * The events `| t1612score` alerts on, as Splunk would hand them to the base search: the labelled corpus
 * (test/corpus/*.jsonl through test/corpus/load.ts) when it exists, else the real samples in
 * test/fixtures/samples — auditd both merged per audit event (the scanner's shape) and one record per
 * event (Splunk's default line breaking for linux:audit), dockerd, sudo/auth and Sysmon lines.
 */
import * as fs from 'fs';
import * as path from 'path';
import { defaultT1612Options } from '../../src/command/options';
import { scoreEvent } from '../../src/pipeline/score-event';
import { collectEvents } from '../../src/scan/scan';
import { SearchEvent } from '../../src/content/search-model';
import { SAMPLES } from '../telemetry/samples';

export interface ReplayEvent {
  id: string;
  event: SearchEvent;
}

type Fields = Record<string, string | readonly string[] | undefined>;

const CORPUS_DIR = path.resolve(__dirname, '..', 'corpus');

interface CorpusLike {
  id: string;
  event: Fields;
}

function corpusCases(): CorpusLike[] | undefined {
  const loader = path.join(CORPUS_DIR, 'load.ts');
  if (!fs.existsSync(loader)) return undefined;
  // The corpus is written by the detection work; load it only when it is there.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(loader) as { loadCorpus: () => CorpusLike[] };
  return mod.loadCorpus();
}

/** One event per auditd record line, sourcetype linux:audit (how Splunk indexes audit.log by default). */
function auditRecordsPerLine(rel: string): Fields[] {
  const text = fs.readFileSync(path.join(SAMPLES, rel), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith('type=') || l.startsWith('node='))
    .map((l) => ({ _raw: l, sourcetype: 'linux:audit', source: '/var/log/audit/audit.log', host: 'vm' }));
}

function sampleEvents(): ReplayEvent[] {
  const out: ReplayEvent[] = [];
  collectEvents([SAMPLES]).events.forEach((e) => out.push({ id: e.origin, event: e.fields }));
  for (const rel of ['lab/auditd_raw.log', 'lab/auditd_enriched.log', 'auditd-real/go-libaudit_audit-rhel7.log'])
    auditRecordsPerLine(rel).forEach((event, i) => out.push({ id: `${rel}#record${i + 1}`, event }));
  return out;
}

function getter(ev: Fields): (name: string) => string | undefined {
  return (name) => {
    const v = ev[name];
    if (v === undefined) return undefined;
    const s = typeof v === 'string' ? v : v.join('\n');
    return s === '' ? undefined : s;
  };
}

/** Whether the command (default options, no prefilter) gives the event an alert_detail. */
/** The command recognises the event as container-image activity (alerting or corroborating). */
export function commandRecognises(ev: Fields): boolean {
  const r = scoreEvent(getter(ev), defaultT1612Options());
  return r.ops.some((op) => op[0] === 't1612_activity' && op[1] !== 'none');
}

export function commandAlerts(ev: Fields): boolean {
  const r = scoreEvent(getter(ev), defaultT1612Options());
  return r.ops.some((op) => op[0] === 'alert_detail');
}

export function replaySource(): 'corpus' | 'samples' {
  return corpusCases() === undefined ? 'samples' : 'corpus';
}

/** Every event the command alerts on, from the corpus when present, else from the samples. */
export function alertingEvents(): ReplayEvent[] {
  const corpus = corpusCases();
  const all: ReplayEvent[] = corpus ? corpus.map((c) => ({ id: c.id, event: c.event })) : sampleEvents();
  return all.filter((e) => commandAlerts(e.event as Fields));
}
