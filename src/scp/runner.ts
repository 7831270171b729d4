/**
 * Drives one SCP v2 conversation: getinfo → one reply, then one reply per execute request,
 * `finished` mirrored, never `partial` (docs/protocol.md §1, §3, §10).
 */
import { Readable, Writable } from 'stream';
import { encodeFrame, readFrames, ProtocolError } from './frame';

/** What a command does with each execute body. */
export interface ChunkProcessor {
  /** Returns the reply body (CSV). Throwing turns into an ERROR inspector message. */
  processChunk(body: Buffer, finished: boolean): Buffer | string;
}

export interface StreamingCommandDefinition {
  name: string;
  /** Validates the getinfo arguments (throw with a clear text) and returns the processor. */
  configure(args: readonly unknown[], searchinfo: Record<string, unknown>): ChunkProcessor;
  /** Extra getinfo reply keys; `type` defaults to streaming (distributable to indexers). */
  getinfo?: Record<string, unknown>;
}

export interface RunIO {
  input: AsyncIterable<Buffer | string>;
  output: Writable;
  log: (line: string) => void;
}

export type InspectorMessage = [string, string];

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class OutputClosed extends Error {}

/** Writes a frame and waits for the stream to take it. Rejects with OutputClosed on EPIPE. */
function writeFrame(output: Writable, metadata: object, body: Buffer | string = ''): Promise<void> {
  const buf = encodeFrame(metadata, body);
  return new Promise((resolve, reject) => {
    if (output.destroyed || output.writableEnded) return reject(new OutputClosed());
    output.write(buf, (err) => (err ? reject(new OutputClosed(err.message)) : resolve()));
  });
}

/** Runs the protocol until EOF. Resolves to the process exit code. */
export async function runStreamingCommand(def: StreamingCommandDefinition, io: RunIO): Promise<number> {
  const { output, log } = io;
  let processor: ChunkProcessor | null = null;

  const fail = async (metadata: Record<string, unknown>, message: string, body: Buffer | string = ''): Promise<number> => {
    log(`ERROR ${def.name}: ${message}`);
    await writeFrame(output, { ...metadata, finished: true, inspector: { messages: [['ERROR', message]] } }, body);
    return 1;
  };

  try {
    for await (const frame of readFrames(io.input)) {
      const action = frame.metadata.action;
      const finished = frame.metadata.finished === true;
      if (action === 'getinfo') {
        const searchinfo = (frame.metadata.searchinfo ?? {}) as Record<string, unknown>;
        const args = Array.isArray(searchinfo.args) ? searchinfo.args : [];
        const info = { type: 'streaming', ...def.getinfo };
        try {
          processor = def.configure(args, searchinfo);
        } catch (e) {
          return await fail(info, errorText(e));
        }
        await writeFrame(output, info);
      } else if (action === 'execute') {
        if (!processor) {
          return await fail({}, 'execute request received before getinfo', frame.body);
        }
        let body: Buffer | string;
        try {
          body = processor.processChunk(frame.body, finished);
        } catch (e) {
          // Events in = events out: hand splunkd its own rows back along with the error.
          return await fail({}, errorText(e), frame.body);
        }
        await writeFrame(output, { finished }, body);
      } else {
        return await fail({}, `unexpected action ${JSON.stringify(action)}`, frame.body);
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof OutputClosed) return 0; // splunkd went away: nothing left to tell it
    if (e instanceof ProtocolError) {
      log(`ERROR ${def.name}: ${e.message}`);
      return 1;
    }
    log(`ERROR ${def.name}: ${errorText(e)}`);
    return 1;
  }
}

/** Entry point helper for a bundled command: wires process stdio, exit codes and EPIPE. */
export function main(def: StreamingCommandDefinition): void {
  const log = (line: string) => {
    try {
      process.stderr.write(line + '\n');
    } catch {
      /* stderr gone too */
    }
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  runStreamingCommand(def, { input: process.stdin as Readable, output: process.stdout, log }).then(
    (code) => {
      process.exitCode = code;
      if (code !== 0) {
        // Make sure a pending stdin read cannot keep the process alive after a fatal error.
        process.stdout.end(() => process.exit(code));
      }
    },
    (e) => {
      log(`ERROR ${def.name}: ${errorText(e)}`);
      process.exit(1);
    },
  );
}
