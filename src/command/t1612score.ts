/** Entry point of the bundled `| t1612score` command (bin/t1612score.js). */
import { main } from '../scp/runner';
import { parseT1612Options } from './options';
import { makeChunkScorer } from './score-chunk';

main({
  name: 't1612score',
  configure(args) {
    const options = parseT1612Options(args);
    const scorer = makeChunkScorer(options);
    return { processChunk: (body) => scorer.streamed(body), getinfo: options.getinfo };
  },
});
