/** Applies the chosen scoring to every record of one chunk (the per-event logic is score-event.ts). */
import { transformTable } from '../scp/records';
import { Row, RowVisitor, transformChunk } from '../scp/row-stream';
import { StreamedBody } from '../scp/streamed-body';
import { T1612Options } from './options';
import { scoreEvent } from './score-event';

function scorer(options: T1612Options): RowVisitor {
  let row: Row;
  const get = (name: string) => row.get(name); // one getter and matcher per chunk, not per row
  const matches = (re: RegExp) => row.matches(re);
  return (current: Row) => {
    row = current;
    const r = scoreEvent(get, options, matches);
    for (const op of r.ops) {
      if (op[1] === null) row.copyField(op[2], op[0]);
      else if (typeof op[1] === 'string') row.set(op[0], op[1]);
      else row.setMulti(op[0], op[1]);
    }
    if (options.runtimeLabel !== undefined) row.set('t1612_runtime', options.runtimeLabel);
    return r.risk_score >= options.minScore;
  };
}

/** The command's path: fast chunk scan, reply streamed (src/scp/row-stream.ts). */
export function scoreChunkStreamed(body: Buffer, options: T1612Options): StreamedBody | string {
  return transformChunk(body, scorer(options));
}

/** Same output as a string, through the reference codec (tests, fake splunkd). */
export function scoreChunk(body: Buffer | string, options: T1612Options): string {
  return transformTable(body, scorer(options));
}
