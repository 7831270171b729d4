/**
 * `t1612 verify --peers`: does `| t1612score` run on every search peer, and with which runtime?
 *
 * The search must make each peer run the command. `makeresults` would not: it "runs on the local
 * machine" unless given splunk_server (Splunk Search Reference, makeresults). A search over an index
 * followed only by distributable streaming commands runs on the peers, and a distributable streaming
 * command after a non-streaming one runs on the search head (Search Reference, "Command types"), so
 * nothing centralised (`head`, `sort`, …) comes before `t1612score` here. Every splunkd logs to
 * `_internal` (metrics every 30 s), so each peer has events in the window; `report_runtime=true` makes
 * the command stamp `t1612_runtime` on each, and `stats … by splunk_server` (splunk_server: the
 * serverName of the server that returned the event) brings one row per server back.
 * The peer list comes from GET /services/search/distributed/peers (`peerName`, `status`, the fields
 * the Monitoring Console's distributed-search health check reads). See docs/deploy.md.
 */
import { describeSdkError, scalarText, SdkService, splunkMessages } from './sdk';
import { capServerText } from './redact';
import type { Check } from './session';

export const PEERS_DEFAULT_INDEX = '_internal';
export const PEERS_WINDOW = '-5m';

export function buildPeersSearch(index = PEERS_DEFAULT_INDEX): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_-]{0,79}$/.test(index)) throw new Error('--peers-index: not an index name');
  return [
    `search index=${index}`,
    '| fields splunk_server',
    '| t1612score report_runtime=true',
    '| stats count as t1612_events values(t1612_runtime) as t1612_runtime by splunk_server',
  ].join(' ');
}

export interface Peer {
  name: string;
  status: string;
}

/** Entries of /services/search/distributed/peers: `content.peerName` is the peer's serverName. */
export function parsePeers(data: unknown): Peer[] {
  const entries = (data as { entry?: unknown } | undefined)?.entry;
  if (!Array.isArray(entries)) return [];
  return entries.map((e: unknown) => {
    const entry = (e ?? {}) as { name?: unknown; content?: Record<string, unknown> };
    const c = entry.content ?? {};
    return {
      name: scalarText(c.peerName) || scalarText(entry.name),
      status: scalarText(c.status) || 'unknown',
    };
  });
}

export interface ServerResult {
  events: number;
  runtimes: string[];
}

/** One row per splunk_server from the stats; multivalue t1612_runtime may come as a JSON array. */
export function parseServerRows(data: unknown): Map<string, ServerResult> {
  const out = new Map<string, ServerResult>();
  const results = (data as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results)) return out;
  for (const r of results) {
    const row = (r ?? {}) as Record<string, unknown>;
    const server = scalarText(row.splunk_server);
    if (!server) continue;
    const rt = row.t1612_runtime;
    const runtimes = (Array.isArray(rt) ? rt.map(scalarText) : [scalarText(rt)]).filter((s) => s !== '');
    out.set(server, { events: Number(scalarText(row.t1612_events)) || 0, runtimes });
  }
  return out;
}

/** Search messages that name a server in brackets (`[idx1] …`), by server. */
function messagesByServer(texts: string[], names: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of texts) {
    const m = /^\s{0,8}\[([^\]]{1,256})\]/.exec(t);
    const who = m && names.includes(m[1]) ? m[1] : '';
    out.set(who, [...(out.get(who) ?? []), t]);
  }
  return out;
}

export async function peerChecks(svc: SdkService, app: string, index: string): Promise<Check[]> {
  let peers: Peer[];
  try {
    // GET /services/search/distributed/peers?count=0 (the SDK adds output_mode=json)
    const res = await svc.get('/services/search/distributed/peers', { count: 0 });
    peers = parsePeers(res.data);
  } catch (e) {
    return [{ name: 'search peers', ok: false, detail: `listing peers failed: ${describeSdkError(e)}` }];
  }
  const checks: Check[] = [
    {
      name: 'search peers',
      ok: true,
      detail: peers.length
        ? `${peers.length} configured: ${peers.map((p) => `${p.name} (${p.status})`).join(', ')}`
        : 'none configured: a standalone instance runs the command itself',
    },
  ];

  let data: unknown;
  const query = buildPeersSearch(index);
  try {
    // POST …/search/v2/jobs exec_mode=oneshot; the time range keeps the work per peer small.
    data = await svc.oneshotSearch(
      query,
      { output_mode: 'json', earliest_time: PEERS_WINDOW, latest_time: 'now' },
      { owner: 'nobody', app, sharing: 'app' },
    );
  } catch (e) {
    checks.push({ name: 'peers search', ok: false, detail: describeSdkError(e) });
    return checks;
  }
  const rows = parseServerRows(data);
  const bad = splunkMessages(data).filter((m) => m.type === 'FATAL' || m.type === 'ERROR');
  const byServer = messagesByServer(
    bad.map((m) => m.text),
    [...peers.map((p) => p.name), ...rows.keys()],
  );
  const general = byServer.get('') ?? [];
  checks.push({
    name: 'peers search',
    ok: general.length === 0,
    detail: general.length ? capServerText(general.join('; ')) : `${query} (${PEERS_WINDOW} to now)`,
  });

  for (const p of peers) checks.push(peerCheck(p, rows.get(p.name), byServer.get(p.name) ?? []));
  for (const [server, r] of rows) {
    if (peers.some((p) => p.name === server)) continue;
    // Events the search head searched itself (its own _internal): reported, not a peer.
    checks.push({ ...serverResult(r, byServer.get(server) ?? []), name: `server ${server} (not a peer)` });
  }
  return checks;
}

function serverResult(r: ServerResult, errors: string[]): Omit<Check, 'name'> {
  if (r.runtimes.length === 0) {
    return {
      ok: false,
      detail: `${r.events} events came back without t1612_runtime: the command did not run there${errors.length ? `; ${errors.join('; ')}` : ''}`,
    };
  }
  return {
    ok: errors.length === 0,
    detail: `ran: ${r.runtimes.join(' | ')} (${r.events} events)${errors.length ? `; ${errors.join('; ')}` : ''}`,
  };
}

function peerCheck(p: Peer, r: ServerResult | undefined, errors: string[]): Check {
  const name = `peer ${p.name}`;
  if (r) return { name, ...serverResult(r, errors) };
  if (errors.length) return { name, ok: false, detail: `did not run: ${capServerText(errors.join('; '))}` };
  if (p.status.toLowerCase() !== 'up') return { name, ok: false, detail: `did not run: peer status is ${p.status}` };
  return {
    name,
    ok: false,
    detail: `no results and no message: no events in the window, or the peer was not searched`,
  };
}
