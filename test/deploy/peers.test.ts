/**
 * `t1612 verify --peers` against the HTTPS fake splunkd with peer-shaped answers: each answering
 * peer runs the command's real option parser and scorer with its own launcher label.
 */
import { runVerify } from '../../src/deploy/verify';
import { SAVED_SEARCHES } from '../../src/deploy/constants';
import type { FakePeer } from './fake-splunkd';
import { AUTH, recordingIo, useHarness } from './harness';

jest.setTimeout(30000);

const h = useHarness();
const enabled = Object.fromEntries(
  SAVED_SEARCHES.map((n) => [n, { cron: '*/15 * * * *', scheduled: true, disabled: false }]),
);
const SEA = 'sea linux-x64 node v22.12.0 (linux_x86_64/bin/t1612score)';
const SYSTEM_NODE = 'node v20.18.1 (T1612_NODE=/opt/node/bin/node)';

async function verifyPeers(peers: FakePeer[], extra: string[] = []) {
  const s = await h.fake({ appInstalled: true, savedSearches: enabled, peers });
  const t = recordingIo();
  const code = await runVerify(['--url', s.url, ...AUTH, ...h.pin(), '--peers', ...extra], t);
  return { code, out: t.stdout(), err: t.stderr(), s };
}

describe('verify --peers', () => {
  test('every peer runs the command: per-peer runtime, exit 0', async () => {
    const { code, out, s } = await verifyPeers([
      { name: 'idx1', outcome: { runtime: SEA } },
      { name: 'idx2', outcome: { runtime: SYSTEM_NODE } },
    ]);
    expect(out).toMatch(/search peers\s+PASS\s+2 configured: idx1 \(Up\), idx2 \(Up\)/);
    const line = (name: string) => out.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
    expect(line('peer idx1').split(/\s{2,}/)).toEqual(['peer idx1', 'PASS', `ran: ${SEA} (3 events)`]);
    expect(line('peer idx2').split(/\s{2,}/)).toEqual(['peer idx2', 'PASS', `ran: ${SYSTEM_NODE} (3 events)`]);
    expect(code).toBe(0);
    // The search is distributable up to the command: a base search over an index, no makeresults or head.
    const search = s.requests.filter((r) => r.path.endsWith('/search/v2/jobs')).map((r) => r.body.search);
    const peersSearch = search.find((q) => q.includes('report_runtime=true'))!;
    expect(peersSearch).toMatch(/^search index=_internal \| fields splunk_server \| t1612score report_runtime=true \|/);
    expect(peersSearch).not.toMatch(/makeresults|\| head\b|\| sort\b/);
    expect(peersSearch).toMatch(/\| stats .* by splunk_server$/);
    expect(s.requests.some((r) => r.path === '/services/search/distributed/peers')).toBe(true);
  });

  test('peer-bundle-no-node: a failing, a silent and a down peer each fail; exit 1', async () => {
    const { code, out } = await verifyPeers([
      { name: 'idx1', outcome: { runtime: SEA } },
      { name: 'idx2', outcome: { error: 'no Node.js >= 18 found (tried T1612_NODE, PATH)' } },
      { name: 'idx3', outcome: 'silent' },
      { name: 'idx4', status: 'Down', outcome: 'silent' },
      { name: 'sh1', listed: false, outcome: { runtime: SYSTEM_NODE } },
    ]);
    expect(code).toBe(1);
    expect(out).toMatch(/peer idx1\s+PASS\s+ran: sea linux-x64/);
    expect(out).toMatch(/peer idx2\s+FAIL\s+did not run: \[idx2\] .*no Node\.js >= 18 found/);
    expect(out).toMatch(/peer idx3\s+FAIL\s+no results and no message/);
    expect(out).toMatch(/peer idx4\s+FAIL\s+did not run: peer status is Down/);
    expect(out).toMatch(/server sh1 \(not a peer\)\s+PASS\s+ran: node v20\.18\.1/);
    expect(out).toMatch(/peers search\s+PASS/); // the idx2 error is attributed to idx2, not to the search
    expect(out).toMatch(/3 of \d+ checks FAILED/);
  });

  test('--peers-index picks the index; a bad index name is a usage error', async () => {
    const { out, s } = await verifyPeers([{ name: 'idx1', outcome: { runtime: SEA } }], ['--peers-index', 'main']);
    expect(out).toMatch(/peer idx1\s+PASS/);
    expect(s.requests.some((r) => String(r.body.search).startsWith('search index=main |'))).toBe(true);

    const bad = await verifyPeers([], ['--peers-index', 'main | delete']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--peers-index: not an index name/);
  });

  test('no peers configured: a standalone instance passes with the search head row', async () => {
    const { code, out } = await verifyPeers([{ name: 'standalone', listed: false, outcome: { runtime: SEA } }]);
    expect(out).toMatch(/search peers\s+PASS\s+none configured/);
    expect(out).toMatch(/server standalone \(not a peer\)\s+PASS/);
    expect(code).toBe(0);
  });
});
