/** Benchmark baseline (b): CSV passthrough with our codec — parse and re-serialise, no detection. */
import { main } from '../scp/runner';
import { RecordTable } from '../scp/records';

main({
  name: 'csv-passthrough',
  configure() {
    return { processChunk: (body) => (body.length === 0 ? '' : RecordTable.parse(body).serialize()) };
  },
});
