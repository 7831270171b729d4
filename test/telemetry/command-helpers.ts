/** Drives the built command (bin/t1612score.js) with events, for the telemetry and scan acceptance tests. */
import { parseTable, serializeRow } from '../../src/scp/csv';
import { executeFrame, getinfoFrame, runBundle } from '../helpers/scp';

export type Row = Record<string, string>;

/** Sends events through bin/t1612score.js and returns the reply rows (one per event, same order). */
export async function runCommand(events: Row[], args: string[] = []): Promise<Row[]> {
  const fields = [...new Set(events.flatMap((e) => Object.keys(e)))];
  const body = serializeRow(fields) + events.map((e) => serializeRow(fields.map((f) => e[f] ?? ''))).join('');
  const res = await runBundle([getinfoFrame(args), executeFrame(body, true)], { timeoutMs: 30000 });
  expect(res.code).toBe(0);
  expect(res.replies.length).toBe(2);
  const table = parseTable(res.replies[1].body);
  return table.rows.map((r) => Object.fromEntries(table.fields.map((f, i) => [f, r[i]])));
}
