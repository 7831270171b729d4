/** Applies the chosen scoring to every record of one chunk (the per-event logic is src/pipeline/). */
import { transformTable } from '../scp/records';
import { transformChunk } from '../scp/row-stream';
import { StreamedBody } from '../scp/streamed-body';
import { StreamScorer } from '../pipeline/stream';
import { T1612Options } from './options';

/** One scorer per search (command process): audit assembly and lineage carry over between chunks. */
export function makeChunkScorer(options: T1612Options): {
  streamed(body: Buffer): StreamedBody | string;
  reference(body: Buffer | string): string;
} {
  const s = new StreamScorer(options);
  return {
    streamed: (body) => s.scoreChunk(body, transformChunk),
    reference: (body) => s.scoreChunk(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, transformTable),
  };
}

/** The command's path for one chunk on its own: fast chunk scan, reply streamed (src/scp/row-stream.ts). */
export function scoreChunkStreamed(body: Buffer, options: T1612Options): StreamedBody | string {
  return makeChunkScorer(options).streamed(body);
}

/** Same output as a string, through the reference codec (tests, fake splunkd). */
export function scoreChunk(body: Buffer | string, options: T1612Options): string {
  return makeChunkScorer(options).reference(body);
}
