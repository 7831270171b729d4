/**
 * Benchmark baseline (a): the I/O floor in Node — read each SCP v2 frame, write its body back.
 * Same framing and I/O code as the command, so the ratio isolates CSV and detection work.
 */
import { encodeFrameHead, FrameReader } from '../scp/frame';
import { fdSink, fdSource } from '../scp/io';

const reader = new FrameReader(fdSource(0));
const sink = fdSink(1);
for (let frame = reader.next(); frame; frame = reader.next()) {
  if (frame.metadata.action === 'getinfo') {
    sink.write(encodeFrameHead({ type: 'streaming' }, 0));
  } else {
    sink.write(encodeFrameHead({ finished: frame.metadata.finished === true }, frame.body.length));
    sink.write(frame.body);
  }
}
