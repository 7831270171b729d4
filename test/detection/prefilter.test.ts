/**
 * The prefilters (src/detection/model/prefilter.ts) may only skip events that could not score:
 * on every real sample event, and on the benchmark's synthetic mix, the scoring with prefilter equals
 * the scoring without it, in both modes.
 */
import { defaultT1612Options, T1612Options } from '../../src/command/options';
import { scoreEvent } from '../../src/pipeline/score-event';
import { makeChunkBody } from '../../src/bench/stream';
import { parseTable } from '../../src/scp/csv';
import { collectEvents } from '../../src/scan/scan';
import { EVIDENCE_PREFILTER, SEED_PREFILTER } from '../../src/detection/model/prefilter';
import { SIGNALS } from '../../src/detection/model';
import { SAMPLES } from '../telemetry/samples';

type Fields = Record<string, string>;
const SCORE_FIELDS: readonly string[] = [
  'is_docker_build',
  't1612_activity',
  'risk_score',
  'alert_detail',
  't1612_reasons',
  ...SIGNALS,
];

function scoring(fields: Fields, options: T1612Options, prefilter: boolean): Record<string, unknown> {
  const get = (n: string) => (fields[n] === undefined || fields[n] === '' ? undefined : fields[n]);
  const text = Object.values(fields).join('\u0000');
  const r = scoreEvent(get, options, prefilter ? (re) => re.test(text) : undefined);
  const out: Record<string, unknown> = {};
  for (const op of r.ops) if (SCORE_FIELDS.includes(op[0])) out[op[0]] = op[1];
  // Non-builds: the prefiltered form says less (no t1612_activity=none), never something else.
  if (out.t1612_activity === 'none') delete out.t1612_activity;
  return out;
}

function sampleEvents(): Fields[] {
  return collectEvents([SAMPLES]).events.map((e) => e.fields);
}

function benchEvents(): Fields[] {
  const t = parseTable(makeChunkBody({ chunks: 1, eventsPerChunk: 3000, buildRate: 0.05 }, 0));
  return t.rows.map((row) => Object.fromEntries(t.fields.map((f, i) => [f, row[i]])));
}

describe('prefilters never change a score', () => {
  const events = [...sampleEvents(), ...benchEvents()];

  test.each(['default', 'seed'] as const)('mode=%s on every sample and benchmark event', (mode) => {
    const options = defaultT1612Options(mode);
    let scored = 0;
    let skipped = 0;
    for (const e of events) {
      const full = scoring(e, options, false);
      const fast = scoring(e, options, true);
      if (JSON.stringify(full) !== JSON.stringify(fast)) expect({ event: e, fast }).toEqual({ event: e, fast: full });
      if (full.is_docker_build === '1' || Number(full.risk_score) > 0) scored++;
      const re = mode === 'seed' ? SEED_PREFILTER : EVIDENCE_PREFILTER;
      if (!re.test(Object.values(e).join('\u0000'))) skipped++;
    }
    // The comparison means something only if both kinds of event are there in numbers.
    expect(scored).toBeGreaterThan(30);
    expect(skipped).toBeGreaterThan(1000);
  });

  test('hex-only auditd evidence passes the prefilter', () => {
    // PROCTITLE of `docker build .` and SOCKADDR of /var/run/docker.sock, as auditd writes them.
    expect(EVIDENCE_PREFILTER.test('type=PROCTITLE msg=audit(1:2): proctitle=646F636B6572006275696C64002E')).toBe(true);
    expect(
      EVIDENCE_PREFILTER.test('type=SOCKADDR msg=audit(1:2): saddr=01002F7661722F72756E2F646F636B65722E736F636B00'),
    ).toBe(true);
    expect(EVIDENCE_PREFILTER.test('type=EXECVE msg=audit(1:2): argc=3 a0="ls" a1="-la" a2="/tmp"')).toBe(false);
  });

  test('plain logrus dockerd lines (no "dockerd[pid]:" prefix) pass the prefilter', () => {
    expect(
      EVIDENCE_PREFILTER.test('time="2026-11-27T23:22:04Z" level=debug msg="Calling POST /v1.41/build?nocache=1&t=x"'),
    ).toBe(true);
    expect(
      EVIDENCE_PREFILTER.test(
        'time="2026-11-27T23:22:04Z" level=debug msg="form data: {\\"HostConfig\\":{\\"Privileged\\":true}}"',
      ),
    ).toBe(true);
  });

  test('Windows command lines in any case pass the prefilter', () => {
    expect(EVIDENCE_PREFILTER.test('"C:\\Tools\\DoCkEr.ExE" build -t x C:\\Users\\a\\AppData\\Local\\Temp\\c')).toBe(
      true,
    );
  });
});
