/**
 * The peer side of the fake splunkd: how search peers answer the `t1612 verify --peers` search.
 * Each answering peer runs the command's real option parser and chunk scorer with its own launcher
 * label; the stats by splunk_server is done here (see test/fixtures/splunkd/PROVENANCE.md).
 */
import { parseT1612Options } from '../../src/command/options';
import { scoreChunk } from '../../src/command/score-chunk';
import { serializeTable } from '../../src/scp/csv';
import { OneshotBody, fixtureJson, parseRows } from './fixtures';

export interface FakePeer {
  /** serverName: `peerName` in the REST list and `splunk_server` on its events. */
  name: string;
  /** REST `status` (default `Up`). */
  status?: string;
  /** false: answers the search but is not in the REST list (e.g. the search head's own events). */
  listed?: boolean;
  /** Runs the command with this T1612_RUNTIME_LABEL, fails with this message, or returns nothing. */
  outcome: { runtime: string } | { error: string } | 'silent';
}

/** Runs parseT1612Options with the launcher's label in the environment, as on that peer. */
function optionsOnPeer(args: string[], runtime: string) {
  const saved = process.env.T1612_RUNTIME_LABEL;
  process.env.T1612_RUNTIME_LABEL = runtime;
  try {
    return parseT1612Options(args);
  } finally {
    if (saved === undefined) delete process.env.T1612_RUNTIME_LABEL;
    else process.env.T1612_RUNTIME_LABEL = saved;
  }
}

/** The `verify --peers` search: each answering peer runs the real command over 3 events; stats by splunk_server. */
export function peersSearchBody(search: string, peers: readonly FakePeer[]): OneshotBody {
  const args = (/\| t1612score ([^|]*)\|/.exec(search)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const body = fixtureJson<OneshotBody>('oneshot-results.json');
  const rows: Record<string, string>[] = [];
  for (const p of peers) {
    if (p.outcome === 'silent') continue;
    if ('error' in p.outcome) {
      const text = `[${p.name}] Streamed search execute failed because: Error in 't1612score' command: ${p.outcome.error}`;
      body.messages.push({ type: 'ERROR', text });
      continue;
    }
    const events = [1, 2, 3].map((i) => `${i}0-Nov-2026 10:00:00 INFO Metrics - group=pipeline name=parsing`);
    const table = serializeTable({ fields: ['_raw', 'splunk_server'], rows: events.map((e) => [e, p.name]) });
    rows.push(...parseRows(scoreChunk(table, optionsOnPeer(args, p.outcome.runtime))));
  }
  const byServer = new Map<string, { count: number; runtimes: Set<string> }>();
  for (const r of rows) {
    const s = byServer.get(r.splunk_server) ?? { count: 0, runtimes: new Set<string>() };
    s.count++;
    if (r.t1612_runtime) s.runtimes.add(r.t1612_runtime);
    byServer.set(r.splunk_server, s);
  }
  body.fields = [{ name: 'splunk_server' }, { name: 't1612_events' }, { name: 't1612_runtime' }];
  body.results = [...byServer].map(([server, s]) => {
    const rt = [...s.runtimes];
    return { splunk_server: server, t1612_events: String(s.count), t1612_runtime: rt.length === 1 ? rt[0] : rt };
  });
  return body;
}
