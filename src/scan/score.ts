/**
 * Scores scan events exactly as `| t1612score` scores a search's events: newest first, in chunks, through
 * the pipeline's StreamScorer (audit assembly, process lineage, incidents) and the engine's reference codec,
 * so the scanner and the command cannot drift apart.
 */
import { defaultScoreOptions, ScoreOptions } from '../pipeline/score-event';
import { StreamScorer } from '../pipeline/stream';
import { parseTable, serializeRow } from '../scp/csv';
import { decodeMv, MV_PREFIX } from '../scp/multivalue';
import { transformTable } from '../scp/records';
import { ScanEvent } from './readers';

export interface ScanRow {
  fields: Record<string, string>;
  time: number;
  risk_score: number;
  origin: string;
}

/** Events per chunk: splunkd sends a few hundred events per execute request. */
export const SCAN_CHUNK_ROWS = 500;

const timeOf = (e: ScanEvent): number => (Number.isNaN(e.time) ? 0 : e.time);

/** Scores every event; returns all of them (in input order) with their output fields. */
export function scoreEvents(events: ScanEvent[], mode: ScoreOptions['mode']): ScanRow[] {
  const order = events.map((_, i) => i).sort((a, b) => timeOf(events[b]) - timeOf(events[a]) || a - b);
  const scorer = new StreamScorer(defaultScoreOptions(mode));
  const out: ScanRow[] = new Array<ScanRow>(events.length);
  for (let start = 0; start < order.length; start += SCAN_CHUNK_ROWS) {
    const idx = order.slice(start, start + SCAN_CHUNK_ROWS);
    const columns = new Map<string, number>();
    for (const i of idx)
      for (const k of Object.keys(events[i].fields)) if (!columns.has(k)) columns.set(k, columns.size);
    const names = [...columns.keys()];
    let body = serializeRow(names);
    for (const i of idx) body += serializeRow(names.map((n) => events[i].fields[n]));
    const table = parseTable(scorer.scoreChunk(Buffer.from(body, 'utf8'), transformTable));
    table.rows.forEach((row, k) => {
      const e = events[idx[k]];
      const fields: Record<string, string> = {};
      table.fields.forEach((f, c) => {
        if (!f.startsWith(MV_PREFIX)) fields[f] = row[c];
      });
      // Multivalue fields keep Splunk's plain form: values joined by LF.
      table.fields.forEach((f, c) => {
        if (f.startsWith(MV_PREFIX) && row[c] !== '') fields[f.slice(MV_PREFIX.length)] = decodeMv(row[c]).join('\n');
      });
      out[idx[k]] = { fields, time: e.time, risk_score: Number(fields.risk_score) || 0, origin: e.origin };
    });
  }
  return out;
}
