/** Applies the chosen scoring to every record of one chunk. */
import { RecordTable } from '../scp/records';
import { T1612Options } from './options';
import { scoreEvent } from './score-event';

export function scoreChunk(body: Buffer | string, options: T1612Options): string {
  if (body.length === 0) return '';
  const table = RecordTable.parse(body);
  const kept: string[][] = [];
  for (const row of table.rows) {
    const r = scoreEvent((name) => table.get(row, name), options.mode);
    for (const op of r.ops) {
      if (op[1] === null) table.copyField(row, op[2], op[0]);
      else table.set(row, op[0], op[1]);
    }
    if (r.risk_score >= options.minScore) kept.push(row);
  }
  return table.serialize(kept);
}
