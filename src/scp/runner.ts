/**
 * Drives one SCP v2 conversation: getinfo → one reply, then exactly one reply per execute request,
 * `finished` mirrored, never `partial` (docs/protocol.md §1, §3, §10). Synchronous: the protocol is
 * strictly request → reply (see io.ts).
 */
import { encodeFrameHead, FrameReader, ProtocolError } from './frame';
import { ByteSink, ByteSource, fdSink, fdSource } from './io';
import { quoteValue } from './options';
import { StreamedBody } from './streamed-body';

/** What a command does with each execute body. */
export interface ChunkProcessor {
  /** Returns the reply body (CSV). Throwing turns into an ERROR inspector message. */
  processChunk(body: Buffer, finished: boolean): Buffer | string | StreamedBody;
  /**
   * getinfo reply keys that depend on this invocation's arguments. `type` is what splunkd schedules
   * on: "streaming" may run on every search peer, "stateful" runs on the search head only, as
   * splunklib reports a StreamingCommand with distributed=False (splunklib/searchcommands/
   * streaming_command.py, ConfigurationSettings.iteritems; "events"/"reporting" are its eventing
   * and reporting command types). See docs/deploy.md, "Where the command runs".
   */
  getinfo?: Record<string, unknown>;
}

export interface StreamingCommandDefinition {
  name: string;
  /** Validates the getinfo arguments (throw with a clear text) and returns the processor. */
  configure(args: readonly unknown[], searchinfo: Record<string, unknown>): ChunkProcessor;
  /** Extra getinfo reply keys; `type` defaults to streaming (distributable to indexers). */
  getinfo?: Record<string, unknown>;
}

export interface RunIO {
  source: ByteSource;
  sink: ByteSink;
  log: (line: string) => void;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isEpipe(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ECONNRESET' || code === 'EBADF';
}

/** Runs the protocol until end of input. Returns the process exit code. */
export function runStreamingCommand(def: StreamingCommandDefinition, io: RunIO): number {
  const { sink, log } = io;
  const reader = new FrameReader(io.source);
  let processor: ChunkProcessor | null = null;

  const writeFrame = (metadata: object, body: Buffer | string | StreamedBody = '') => {
    if (typeof body !== 'string' && !Buffer.isBuffer(body)) {
      sink.write(encodeFrameHead(metadata, body.byteLength));
      if (sink.writev && body.writeVectorTo) body.writeVectorTo((pieces) => sink.writev!(pieces));
      else body.writeTo((bytes) => sink.write(bytes));
      return;
    }
    const bodyBuf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    sink.write(encodeFrameHead(metadata, bodyBuf.length));
    if (bodyBuf.length > 0) sink.write(bodyBuf);
  };
  const fail = (metadata: Record<string, unknown>, message: string, body: Buffer | string = ''): number => {
    log(`ERROR ${def.name}: ${message}`);
    writeFrame({ ...metadata, finished: true, inspector: { messages: [['ERROR', message]] } }, body);
    return 1;
  };

  try {
    for (let frame = reader.next(); frame; frame = reader.next()) {
      const action = frame.metadata.action;
      const finished = frame.metadata.finished === true;
      if (action === 'getinfo') {
        const searchinfo = (frame.metadata.searchinfo ?? {}) as Record<string, unknown>;
        const args = Array.isArray(searchinfo.args) ? searchinfo.args : [];
        const info = { type: 'streaming', ...def.getinfo };
        try {
          processor = def.configure(args, searchinfo);
        } catch (e) {
          return fail(info, errorText(e));
        }
        writeFrame({ ...info, ...processor.getinfo });
      } else if (action === 'execute') {
        if (!processor) return fail({}, 'execute request received before getinfo', frame.body);
        let body: Buffer | string | StreamedBody;
        try {
          body = processor.processChunk(frame.body, finished);
        } catch (e) {
          // Events in = events out: hand splunkd its own rows back along with the error.
          return fail({}, errorText(e), frame.body);
        }
        writeFrame({ finished }, body);
      } else {
        return fail(
          {},
          `unexpected action ${quoteValue(typeof action === 'string' ? action : String(JSON.stringify(action)))}`,
          frame.body,
        );
      }
    }
    return 0;
  } catch (e) {
    if (isEpipe(e)) return 0; // splunkd went away: nobody is left to tell
    log(`ERROR ${def.name}: ${e instanceof ProtocolError ? e.message : errorText(e)}`);
    return 1;
  }
}

/** Entry point of a bundled command: stdin/stdout file descriptors, stderr diagnostics, exit code. */
export function main(def: StreamingCommandDefinition): void {
  const log = (line: string) => {
    try {
      process.stderr.write(line + '\n');
    } catch {
      /* stderr gone too */
    }
  };
  const code = runStreamingCommand(def, { source: fdSource(0), sink: fdSink(1), log });
  process.exitCode = code;
}
