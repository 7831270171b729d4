/** Applies the chosen scoring to every record of one chunk. */
import { RecordTable } from '../scp/records';
import { scoreSeed } from '../detection/seed';
import { T1612Options } from './options';

export function scoreChunk(body: Buffer | string, options: T1612Options): string {
  if (body.length === 0) return '';
  const table = RecordTable.parse(body);
  const kept: string[][] = [];
  for (const row of table.rows) {
    const get = (name: string) => table.get(row, name);
    const r = scoreSeed(get);
    table.set(row, 'is_docker_build', String(r.is_docker_build));
    if (r.is_docker_build === 1) {
      if (r.commandLineFrom && r.commandLineFrom !== 'CommandLine') table.copyField(row, r.commandLineFrom, 'CommandLine');
      table.set(row, 'from_temp', String(r.from_temp));
      table.set(row, 'no_cache', String(r.no_cache));
      table.set(row, 'external_file', String(r.external_file));
      table.set(row, 'suspicious_parent', String(r.suspicious_parent));
      table.set(row, 'alert_detail', r.alert_detail ?? '');
    }
    table.set(row, 'risk_score', String(r.risk_score));
    if (r.risk_score >= options.minScore) kept.push(row);
  }
  return table.serialize(kept);
}
