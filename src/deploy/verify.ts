/** `t1612 verify`: checks over REST that the app is installed, its command scores known events, its alerts are scheduled. */
import { COMMON_HELP, OptionSpec, UsageError, str } from './args';
import { COMPARED_FIELDS, VERIFY_CASES, buildVerifySearch, expectedFor } from './cases';
import { APP_ID, APP_VERSION, SAVED_SEARCHES } from './constants';
import { PEERS_DEFAULT_INDEX, buildPeersSearch, peerChecks } from './peers';
import {
  SdkService,
  describeSdkError,
  newApplication,
  newSavedSearch,
  scalarText,
  sdkStatus,
  splunkMessages,
} from './sdk';
import { Check, Io, defaultIo, openSession, parseWith, renderTable, runGuarded, truthy } from './session';

const SPEC: Record<string, OptionSpec> = {
  'expect-version': { value: true },
  'allow-disabled': { value: false },
  'search-app': { value: true },
  peers: { value: false },
  'peers-index': { value: true },
};

export const VERIFY_USAGE = `usage: t1612 verify --url https://HOST:8089 [auth] [TLS] [--expect-version V] [--allow-disabled] [--search-app APP]
       [--peers [--peers-index INDEX]]

Checks, over REST, and prints a pass/fail table (exit 0: all passed, 1: a check failed, 2: usage):
  - GET apps/local/${APP_ID}: installed, enabled, version ${APP_VERSION} (or --expect-version)
  - a oneshot search "| makeresults | eval … | t1612score mode=seed" over ${VERIFY_CASES.length} atomic-style
    events returns, for each, the fields scoreSeed (src/detection/seed.ts) computes
  - the saved searches ${SAVED_SEARCHES.map((s) => `"${s}"`).join(', ')} exist with a cron_schedule,
    scheduled and enabled (--allow-disabled: existence and cron_schedule only)
  --search-app APP             app context of the oneshot search (default ${APP_ID})
  --peers                      also run "search index=${PEERS_DEFAULT_INDEX} | t1612score report_runtime=true | stats … by
                               splunk_server" (last 5 minutes) so every search peer runs the command, and report
                               per peer (GET search/distributed/peers) whether it ran and with which runtime;
                               any peer that did not run it fails the check
  --peers-index INDEX          index for that search (default ${PEERS_DEFAULT_INDEX}; every peer needs events in it)
${COMMON_HELP}
`;

type Row = Record<string, string>;

function buildPeersSearchOrUsage(index: string): void {
  try {
    buildPeersSearch(index);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Rows from a oneshot body: output_mode=json (`results`) or json_rows (`fields`/`rows`). */
export function resultRows(data: unknown): Row[] {
  const flat = (v: unknown) => (Array.isArray(v) ? v.map(scalarText).join('\n') : scalarText(v));
  if (data && typeof data === 'object') {
    const d = data as { results?: unknown; fields?: unknown; rows?: unknown };
    if (Array.isArray(d.results)) {
      return d.results.map((r) =>
        Object.fromEntries(Object.entries(r as Record<string, unknown>).map(([k, v]) => [k, flat(v)])),
      );
    }
    if (Array.isArray(d.rows) && Array.isArray(d.fields)) {
      const names = d.fields.map((f) => (typeof f === 'string' ? f : scalarText((f as { name?: unknown }).name)));
      return d.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, flat((row as unknown[])[i])])));
    }
  }
  return [];
}

async function appChecks(svc: SdkService, expectVersion: string): Promise<Check[]> {
  try {
    const app = await newApplication(svc, APP_ID).fetch(); // GET /services/apps/local/<id>
    const p = app.properties();
    const v = scalarText(p.version);
    return [
      { name: 'app installed', ok: true, detail: `${APP_ID} (label "${scalarText(p.label)}")` },
      {
        name: 'app version',
        ok: v === expectVersion,
        detail: `splunkd reports ${v || '(none)'}, expected ${expectVersion}`,
      },
      { name: 'app enabled', ok: !truthy(p.disabled), detail: truthy(p.disabled) ? 'disabled' : 'enabled' },
    ];
  } catch (e) {
    const missing = sdkStatus(e) === 404;
    return [{ name: 'app installed', ok: false, detail: missing ? `${APP_ID} is not installed` : describeSdkError(e) }];
  }
}

async function searchChecks(svc: SdkService, app: string): Promise<Check[]> {
  const query = buildVerifySearch();
  let data: unknown;
  try {
    // POST /servicesNS/nobody/<app>/search/v2/jobs (v1 before 9.0.2) exec_mode=oneshot, ?output_mode=json
    data = await svc.oneshotSearch(
      query,
      { output_mode: 'json', earliest_time: '-1m', latest_time: 'now' },
      { owner: 'nobody', app, sharing: 'app' },
    );
  } catch (e) {
    return [{ name: 't1612score oneshot', ok: false, detail: describeSdkError(e) }];
  }
  const checks: Check[] = [];
  const bad = splunkMessages(data).filter((m) => m.type === 'FATAL' || m.type === 'ERROR');
  checks.push({
    name: 't1612score oneshot',
    ok: bad.length === 0,
    detail: bad.length ? bad.map((m) => `${m.type}: ${m.text}`).join('; ') : 'search ran',
  });
  const rows = resultRows(data);
  for (const c of VERIFY_CASES) {
    const got = rows.filter((r) => r.t1612_case === String(c.id));
    const want = expectedFor(c);
    const name = `case ${c.id}`;
    if (got.length !== 1) {
      checks.push({ name, ok: false, detail: `${c.label}: expected 1 result, got ${got.length}` });
      continue;
    }
    const diffs = COMPARED_FIELDS.filter((f) => (got[0][f] ?? '') !== want[f]).map(
      (f) => `${f}="${got[0][f] ?? ''}" want "${want[f]}"`,
    );
    checks.push({
      name,
      ok: diffs.length === 0,
      detail: diffs.length ? `${c.label}: ${diffs.join(', ')}` : `${c.label}: risk_score=${want.risk_score}`,
    });
  }
  return checks;
}

async function savedSearchChecks(svc: SdkService, allowDisabled: boolean): Promise<Check[]> {
  const out: Check[] = [];
  for (const n of SAVED_SEARCHES) {
    const name = `alert "${n}"`;
    try {
      const e = await newSavedSearch(svc, n, APP_ID).fetch(); // GET /servicesNS/nobody/<app>/saved/searches/<name>
      const p = e.properties();
      const cron = scalarText(p.cron_schedule);
      const scheduled = truthy(p.is_scheduled);
      const disabled = truthy(p.disabled);
      const ok = cron !== '' && (allowDisabled || (scheduled && !disabled));
      out.push({
        name,
        ok,
        detail: `cron_schedule="${cron}" is_scheduled=${scheduled ? 1 : 0} disabled=${disabled ? 1 : 0}`,
      });
    } catch (e) {
      out.push({ name, ok: false, detail: sdkStatus(e) === 404 ? `not found in app ${APP_ID}` : describeSdkError(e) });
    }
  }
  return out;
}

export async function runVerify(argv: string[], io: Io = defaultIo()): Promise<number> {
  return runGuarded(io, VERIFY_USAGE, async (io, redactor) => {
    const opts = parseWith(argv, SPEC);
    if (opts.help) {
      io.out(VERIFY_USAGE);
      return 0;
    }
    const peersIndex = str(opts, 'peers-index');
    if (peersIndex !== undefined && !opts.peers) throw new UsageError('--peers-index goes with --peers');
    if (peersIndex !== undefined) buildPeersSearchOrUsage(peersIndex);
    const { svc } = await openSession(opts, io, redactor);
    const app = str(opts, 'search-app') ?? APP_ID;
    const checks = [
      ...(await appChecks(svc, str(opts, 'expect-version') ?? APP_VERSION)),
      ...(await searchChecks(svc, app)),
      ...(opts.peers ? await peerChecks(svc, app, peersIndex ?? PEERS_DEFAULT_INDEX) : []),
      ...(await savedSearchChecks(svc, opts['allow-disabled'] === true)),
    ];
    io.out(renderTable(checks));
    return checks.every((c) => c.ok) ? 0 : 1;
  });
}
