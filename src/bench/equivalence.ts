/**
 * The bench's equivalence check: the built command's real reply (fast path, streamed) against the
 * reference codec (parse every field, score, re-serialise: src/scp/records.ts) on the same chunk,
 * field by field.
 */
import * as fs from 'fs';
import { FrameParser } from '../scp/frame';
import { parseTable } from '../scp/csv';
import { parseT1612Options } from '../command/options';
import { scoreChunk } from '../command/score-chunk';

export interface Equivalence {
  chunks: number;
  rows: number;
  fields: number;
  mismatches: number;
  first?: string;
}

/** Compares the first `maxChunks` execute replies in `replyFile` with the reference scoring of `bodies`. */
export function checkEquivalence(replyFile: string, bodies: Buffer[], args: string[], maxChunks = 1): Equivalence {
  const parser = new FrameParser();
  parser.push(fs.readFileSync(replyFile));
  const replies: Buffer[] = [];
  for (let f = parser.next(); f; f = parser.next()) if (f.metadata.finished !== undefined) replies.push(f.body);
  const options = parseT1612Options(args);
  const res: Equivalence = { chunks: 0, rows: 0, fields: 0, mismatches: 0 };
  if (replies.length !== bodies.length) {
    res.mismatches++;
    res.first = `${replies.length} execute replies for ${bodies.length} requests`;
  }
  for (let c = 0; c < Math.min(maxChunks, bodies.length, replies.length); c++) {
    const fast = parseTable(replies[c]);
    const ref = parseTable(scoreChunk(bodies[c], options));
    res.chunks++;
    const note = (what: string) => {
      res.mismatches++;
      res.first ??= `chunk ${c + 1}: ${what}`;
    };
    if (fast.fields.join('\u0001') !== ref.fields.join('\u0001')) note('header differs');
    if (fast.rows.length !== ref.rows.length) note(`${fast.rows.length} rows, reference ${ref.rows.length}`);
    const col = new Map(fast.fields.map((f, i) => [f, i]));
    for (let r = 0; r < Math.min(fast.rows.length, ref.rows.length); r++) {
      res.rows++;
      for (let i = 0; i < ref.fields.length; i++) {
        res.fields++;
        const j = col.get(ref.fields[i]);
        const v = j === undefined ? undefined : fast.rows[r][j];
        if (v !== ref.rows[r][i])
          note(`row ${r + 1} field ${ref.fields[i]}: ${JSON.stringify(v)} != ${JSON.stringify(ref.rows[r][i])}`);
      }
    }
  }
  return res;
}
