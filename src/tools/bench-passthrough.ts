/**
 * Benchmark baselines (b): CSV passthrough with our codec, no detection. By default the command's
 * fast path (byte scan, unchanged rows copied, one column appended); with `--full`, the reference
 * codec (parse every field, re-serialise every row).
 */
import { main } from '../scp/runner';
import { transformTable } from '../scp/records';
import { transformChunk, Row } from '../scp/row-stream';

const full = process.argv.includes('--full');
const visit = (row: Row) => {
  row.set('passthrough', '1');
  return true;
};

main({
  name: 'csv-passthrough',
  configure() {
    return { processChunk: (body) => (full ? transformTable(body, visit) : transformChunk(body, visit)) };
  },
});
