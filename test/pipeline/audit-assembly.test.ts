/**
 * Audit event assembly in the stream (src/pipeline/stream.ts): lab RAW records streamed one record per
 * Splunk event, newest first (records of one event in reverse file order, as indexed), in chunks.
 */
import { defaultT1612Options } from '../../src/command/options';
import { StreamScorer } from '../../src/pipeline/stream';
import { AuditAssembler, AuditEvent, WINDOW } from '../../src/pipeline/audit-assembly';
import { parseAuditRaw } from '../../src/telemetry/auditd';
import { parseTable, serializeRow } from '../../src/scp/csv';
import { transformTable } from '../../src/scp/records';
import { transformChunk } from '../../src/scp/row-stream';
import { auditRecords, sampleLines } from '../telemetry/samples';
import { streamedText } from '../helpers/scp';

const RAW = 'lab/auditd_raw.log';
type Out = Record<string, string>;
const FIELDS = ['_time', 'host', 'sourcetype', '_raw'];

function body(raws: string[], host = 'vm'): Buffer {
  const rows = raws.map((r) => serializeRow(['1795821756.632', host, 'linux:audit', r])).join('');
  return Buffer.from(serializeRow(FIELDS) + rows, 'utf8');
}

/** Feeds the chunks to one scorer (reference codec and fast path must agree); returns each chunk's rows. */
function stream(chunks: string[][], args = defaultT1612Options()): Out[][] {
  const ref = new StreamScorer(args);
  const fast = new StreamScorer(args);
  return chunks.map((c) => {
    const text = ref.scoreChunk(body(c), transformTable);
    expect(streamedText(fast.scoreChunk(body(c), transformChunk))).toBe(text);
    const t = parseTable(text);
    return t.rows.map((r) => Object.fromEntries(t.fields.map((f, i) => [f, r[i]])));
  });
}

/** t6's docker exec (serial 3647): SYSCALL, BPRM_FCAPS, EXECVE, CWD, PATH, PROCTITLE — newest first = reversed. */
const T6_EXEC = auditRecords(RAW, '3647').reverse();
/** t6's docker CLI connect to docker.sock (3648): SYSCALL, SOCKADDR, CWD, PATH, PROCTITLE, reversed. */
const T6_CONNECT = auditRecords(RAW, '3648').reverse();

const hex = (argv: string[]) => Buffer.from(argv.join('\0'), 'utf8').toString('hex').toUpperCase();

describe('auditd-one-record-per-event', () => {
  test('the EXECVE row is scored with the whole event (cwd, user, exe); the other records are marked', () => {
    const [rows] = stream([T6_EXEC]);
    const roles = rows.map((r) => r.t1612_role);
    const exec = rows[T6_EXEC.findIndex((l) => l.startsWith('type=EXECVE'))];
    expect(roles.filter((r) => r === 'exec').length).toBe(1);
    expect(roles.filter((r) => r === 'record').length).toBe(5);
    expect(exec.t1612_role).toBe('exec');
    expect(exec.process_current_directory).toBe('/tmp/atomictest_t1612');
    expect(exec.user).toBe('root');
    expect(exec.process_path).toBe('/usr/local/bin/docker');
    // "." resolved against the CWD record of the same event
    expect(exec.t1612_reasons).toContain('context in /tmp: /tmp/atomictest_t1612 ("." in cwd /tmp/atomictest_t1612)');
    for (const r of rows.filter((x) => x.t1612_role === 'record')) {
      expect(r.risk_score).toBe('0');
      expect(r.alert_detail ?? '').toBe('');
    }
  });

  test('the CWD arrives in the previous chunk: carried over the boundary to the EXECVE', () => {
    const cut = T6_EXEC.findIndex((l) => l.startsWith('type=EXECVE'));
    const [a, b] = stream([T6_EXEC.slice(0, cut), T6_EXEC.slice(cut)]);
    expect(a.every((r) => r.t1612_role === 'record' && r.risk_score === '0')).toBe(true);
    const exec = b[0];
    expect(exec.t1612_role).toBe('exec');
    expect(exec.process_current_directory).toBe('/tmp/atomictest_t1612');
    expect(exec.user).toBe('root'); // SYSCALL in the same chunk
    expect(exec.from_temp).toBe('1');
    expect(b.slice(1).every((r) => r.t1612_role === 'record')).toBe(true);
  });

  test('records after the boundary of an event already scored come back as records', () => {
    const cut = T6_EXEC.findIndex((l) => l.startsWith('type=EXECVE')) + 1;
    const [a, b] = stream([T6_EXEC.slice(0, cut), T6_EXEC.slice(cut)]);
    expect(a.filter((r) => r.t1612_role === 'exec').length).toBe(1);
    expect(b.map((r) => r.t1612_role)).toEqual(['record', 'record']);
    expect(b.every((r) => r.risk_score === '0')).toBe(true);
  });

  test('a child exec sees its parent exec that comes later in the chunk (newest first)', () => {
    const wrapper = auditRecords(RAW, '3646').reverse(); // bash -c 'cd … && docker build …' (pid 15311)
    const [rows] = stream([[...T6_EXEC, ...wrapper]]);
    const exec = rows.find((r) => r.t1612_role === 'exec' && r.process_name === 'docker')!;
    expect(exec.parent_process).toBe(
      'bash -c cd /tmp/atomictest_t1612 && docker build -t t1612_stdin -f- . < /tmp/atomictest_t1612/Dockerfile',
    );
    expect(exec.parent_process_name).toBe('bash');
    expect(exec.t1612_lineage).toBe(exec.parent_process);
    // An ordinary script launcher is a non-scoring hint for the model (docs/detection.md), named from the lineage.
    expect(exec.suspicious_parent).toBe('0');
    expect(exec.t1612_hints).toMatch(/^launched by script: bash -c cd \/tmp\/atomictest_t1612 && docker build/);
  });

  test("the docker CLI's own connect event does not alert; a lone SOCKADDR record does not alert as an API build", () => {
    const [rows] = stream([T6_CONNECT]);
    expect(rows.filter((r) => r.t1612_role === 'exec').length).toBe(1); // the SYSCALL of the connect
    expect(rows.every((r) => r.risk_score === '0' && (r.alert_detail ?? '') === '')).toBe(true);
    const lone = T6_CONNECT.filter((l) => l.startsWith('type=SOCKADDR'));
    const [[only]] = stream([lone]);
    expect(only.t1612_role).toBe('record');
    expect(only.risk_score).toBe('0');
    expect(only.t1612_activity ?? '').toBe('');
  });

  test('a curl connect to docker.sock split over a chunk boundary alerts once, on its SYSCALL', () => {
    const argv = ['curl', '--unix-socket', '/var/run/docker.sock', '-X', 'POST', 'http://localhost/build'];
    const curl = T6_CONNECT.map((l) =>
      l.startsWith('type=SYSCALL')
        ? l.replace(/comm="[^"]*"/, 'comm="curl"').replace(/exe="[^"]*"/, 'exe="/usr/bin/curl"')
        : l.startsWith('type=PROCTITLE')
          ? `type=PROCTITLE msg=audit(1795821756.688:3648): proctitle=${hex(argv)}`
          : l,
    );
    const cut = curl.findIndex((l) => l.startsWith('type=SYSCALL'));
    expect(cut).toBe(curl.length - 1); // newest first: the SYSCALL is the last record of the event
    const [a, b] = stream([curl.slice(0, cut), curl.slice(cut)]);
    expect(a.every((r) => r.t1612_role === 'record' && r.risk_score === '0')).toBe(true);
    expect(b[0].t1612_role).toBe('exec');
    expect(b[0].t1612_activity).toBe('api_build');
    expect(b[0].alert_detail).toBe('HIGH: Image build sent straight to the Docker API');
    expect(b[0].socket_path).toBe('/var/run/docker.sock');
  });

  test('records of one event interleaved further than the window come back as records', () => {
    const others = Array.from({ length: WINDOW + 1 }, (_, i) => T6_EXEC[0].replace(':3647)', `:${10000 + i})`)); // PROCTITLE records of other events
    const cut = T6_EXEC.findIndex((l) => l.startsWith('type=EXECVE'));
    const [rows] = stream([[...T6_EXEC.slice(0, cut), ...others, ...T6_EXEC.slice(cut)]]);
    const tail = rows.slice(cut + others.length);
    // the event was settled (no EXECVE/SYSCALL seen yet: nothing to score) before its EXECVE came
    expect(tail.map((r) => r.t1612_role)).toEqual(['record', 'record', 'record']);
  });

  test('docker builder prune raises no alerting row (t6 records with the argv replaced)', () => {
    const argv = ['docker', 'builder', 'prune', '-f'];
    const prune = T6_EXEC.map((l) =>
      l.startsWith('type=EXECVE')
        ? `type=EXECVE msg=audit(1795821756.632:3647): argc=4 ${argv.map((a, i) => `a${i}="${a}"`).join(' ')}`
        : l.startsWith('type=PROCTITLE')
          ? `type=PROCTITLE msg=audit(1795821756.632:3647): proctitle=${hex(argv)}`
          : l,
    );
    const connect = T6_CONNECT.map((l) =>
      l.startsWith('type=PROCTITLE') ? `type=PROCTITLE msg=audit(1795821756.688:3648): proctitle=${hex(argv)}` : l,
    );
    const lone = connect.filter((l) => l.startsWith('type=SOCKADDR'));
    for (const chunks of [[[...connect, ...prune]], [lone, prune], [connect.slice(0, 2), connect.slice(2), prune]]) {
      const rows = stream(chunks).flat();
      expect(rows.filter((r) => (r.alert_detail ?? '') !== '' || r.risk_score !== '0')).toEqual([]);
    }
  });

  test('users: root for uid 0, uid:<n> for other numeric ids, the invoker (auid) first, names where given', () => {
    const sys = T6_EXEC.find((l) => l.startsWith('type=SYSCALL'))!;
    const execve = T6_EXEC.find((l) => l.startsWith('type=EXECVE'))!;
    const user = (s: string) => stream([[execve, s]])[0][0].user;
    expect(user(sys)).toBe('root');
    expect(user(sys.replace(' uid=0 ', ' uid=1001 '))).toBe('uid:1001');
    expect(user(sys.replace('auid=4294967295', 'auid=1001'))).toBe('uid:1001');
    // ENRICHED: AUID="alice" after the 0x1D separator
    const enriched =
      sys.replace('auid=4294967295', 'auid=1001') + '\x1dARCH=x86_64 SYSCALL=execve AUID="alice" UID="root"';
    expect(user(enriched)).toBe('alice');
  });

  test('an EXECVE argument index past the cap (a4294967294) is rejected, flagged, and the event still scored', () => {
    const execve = T6_EXEC.find((l) => l.startsWith('type=EXECVE'))!;
    const crafted = [
      execve + ' a4294967294="x"',
      'type=EXECVE msg=audit(11/27/26 23:22:36.632:3647) : argc=3 a0=docker a1=build a4294967294=/tmp/x a2=/tmp/ctx ',
      'type=EXECVE msg=audit(1795821756.632:3647): argc=4294967294 a0="docker" a1="build" a2="/tmp/ctx"',
    ];
    for (const c of crafted) {
      const [[r]] = stream([[c]]);
      expect(r.t1612_truncated).toBe('1');
      expect(r.t1612_truncated_reason).toMatch(/^auditd EXECVE argument index cap 4096: /);
      expect(r.is_docker_build).toBe('1');
    }
  });
});

describe('cim-process-guid-chain', () => {
  const FIELDS_G = ['_time', 'host', 'sourcetype', 'process', 'process_name', 'process_guid', 'parent_process_guid'];
  const rows = [
    ['1795821756.9', 'ci1', 'cim', 'docker build -t x /tmp/x', 'docker', '{C}', '{B}'],
    ['1795821756.5', 'ci1', 'cim', 'bash ./ci.sh', 'bash', '{B}', '{A}'],
    ['1795821750.0', 'ci1', 'cim', `python3 -c 'import pty;pty.spawn("/bin/bash")'`, 'python3', '{A}', '{0}'],
  ];
  test('parent and ancestry from rows later in the chunk (newest first)', () => {
    const b = Buffer.from(serializeRow(FIELDS_G) + rows.map((r) => serializeRow(r)).join(''), 'utf8');
    const text = new StreamScorer(defaultT1612Options()).scoreChunk(b, transformTable);
    const t = parseTable(text);
    const child = Object.fromEntries(t.fields.map((f, i) => [f, t.rows[0][i]]));
    expect(child.parent_process).toBe('bash ./ci.sh');
    expect(child.parent_process_name).toBe('bash');
    expect(child.t1612_lineage).toBe(`bash ./ci.sh\npython3 -c 'import pty;pty.spawn("/bin/bash")'`);
    // Only the grandparent is hostile (a reverse shell): the model sees it through the lineage.
    expect(child.suspicious_parent).toBe('1');
    expect(child.t1612_incident).toBe('ci1|build|x|1795821600');
  });
});

describe('untagged-build-cli-and-dockerd', () => {
  test('the sudo line and the dockerd POST /build line of one untagged build share an incident', () => {
    const F = ['_time', 'host', 'sourcetype', '_raw'];
    const dockerd = sampleLines('lab/dockerd_debug.log')[1].replace('&t=atomictest_t1612', '');
    const sudo = sampleLines('lab/auth_sudo.log')
      .find((l) => l.includes('COMMAND='))!
      .replace('-t atomictest_t1612 ', '');
    const rows = [
      ['1795821724.897', 'vm', 'docker', dockerd],
      ['1795821724.839', 'vm', 'linux_secure', sudo],
    ];
    const b = Buffer.from(serializeRow(F) + rows.map((r) => serializeRow(r)).join(''), 'utf8');
    const t = parseTable(new StreamScorer(defaultT1612Options()).scoreChunk(b, transformTable));
    const inc = t.fields.indexOf('t1612_incident');
    const act = t.fields.indexOf('t1612_activity');
    expect(t.rows.map((r) => r[act])).toEqual(['api_build', 'build']);
    expect(t.rows.map((r) => r[inc])).toEqual(['vm|build|untagged|1795821600', 'vm|build|untagged|1795821600']);
  });
});

describe('audit event keys', () => {
  // Ids that read as the same numbers unless the digit counts are kept (leading/trailing zeros), the same id on
  // another host or sourcetype, node= names, and ids keyed by string (ausearch dates, 16+ digits, `1.:2`).
  const IDS = [
    '100.5:7',
    '100.50:7',
    '0100.5:7',
    '100.5:07',
    '100.6:7',
    '101.5:7',
    '100.5:70',
    '100.5:0',
    '1005:7',
    '100:57',
    '1764285801.002:3647',
    '1764285801.0020:3647',
    '1764285801.002:3648',
    '123456789012345:1',
    '1234567890123456:1',
    '12345678901.2345:1',
    '12345678901.23456:1',
    '1764204189.196:42', // the same numeric bucket as the next one (found by search): told apart by time
    '1764203919.769:42',
    '1234567890.1234567:1', // 17 digits: the same double as the next one
    '1234567890.1234568:1',
    '1.:2',
    '11/27/25 10:00:00.123:5',
  ];
  const HOSTS = ['vm', 'vm2', 'vm3'];
  const SOURCETYPES = ['linux:audit', 'auditd', 'linux_audit'];
  const NODES = ['', 'node=a ', 'node=b '];

  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  interface Input {
    key: string;
    host: string;
    sourcetype: string;
    line: string;
  }

  function inputs(r: () => number, n: number): Input[] {
    return Array.from({ length: n }, () => {
      const id = IDS[Math.floor(r() * IDS.length)];
      const host = HOSTS[Math.floor(r() * HOSTS.length)];
      const sourcetype = SOURCETYPES[Math.floor(r() * SOURCETYPES.length)];
      const node = NODES[Math.floor(r() * NODES.length)];
      return {
        key: [id, host, sourcetype, node].join('|'),
        host,
        sourcetype,
        line: `${node}type=CWD msg=audit(${id}): cwd="/"`,
      };
    });
  }

  /** Feeds one chunk; returns each row's event. */
  function chunk(a: AuditAssembler, rows: Input[]): (AuditEvent | undefined)[] {
    a.begin();
    rows.forEach((x, i) => a.add(i, x.host, x.sourcetype, parseAuditRaw(x.line), false));
    a.finish();
    return rows.map((_, i) => a.eventOf(i));
  }

  test('rows join one event exactly when id, host, sourcetype and node are the same', () => {
    const r = rng(7);
    for (let round = 0; round < 20; round++) {
      const rows = inputs(r, 100); // fewer events than WINDOW: none settles early
      const evs = chunk(new AuditAssembler(), rows);
      expect(evs.every((e) => e !== undefined)).toBe(true);
      for (let i = 0; i < rows.length; i++)
        for (let j = 0; j < i; j++)
          if ((rows[i].key === rows[j].key) !== (evs[i] === evs[j])) {
            expect([rows[i].key, rows[j].key, evs[i] === evs[j]]).toEqual([
              rows[i].key,
              rows[j].key,
              rows[i].key === rows[j].key,
            ]);
          }
      expect(new Set(evs).size).toBe(new Set(rows.map((x) => x.key)).size);
    }
  });

  test('ids crafted into one bucket: the work stays linear, then every key by string, the same joins', () => {
    const r = rng(3);
    const a = new AuditAssembler();
    a.begin();
    const before = inputs(r, 150); // confusable ids, joined by number before the switch
    const flood = Array.from({ length: 20_000 }, (_, i) => ({
      key: `flood|h${i}`,
      host: `h${i}`,
      sourcetype: 'linux:audit',
      line: 'type=CWD msg=audit(1764285801.002:7): cwd="/"', // one id, a new host each row: one bucket
    }));
    const after = [...before].reverse(); // the same keys after the switch: found by the keys rebuilt
    const rows = [...before, ...flood, ...after];
    rows.forEach((x, i) => a.add(i, x.host, x.sourcetype, parseAuditRaw(x.line), false));
    expect(a.keyProbes).toBeLessThan(8 * 2 * rows.length + 4096);
    expect(a.keyProbes).toBeGreaterThan(4096); // the budget was reached
    const eventOfKey = new Map<string, AuditEvent>();
    rows.forEach((x, i) => {
      const ev = a.eventOf(i)!;
      if (!eventOfKey.has(x.key)) eventOfKey.set(x.key, ev);
      expect([i, x.key, ev === eventOfKey.get(x.key)]).toEqual([i, x.key, true]);
    });
    expect(new Set(eventOfKey.values()).size).toBe(eventOfKey.size);
  });

  test('eventOf answers any row in any order; a row given out of order or twice keeps its last event', () => {
    const r = rng(5);
    const a = new AuditAssembler();
    a.begin();
    const lines = inputs(r, 300);
    const order = Array.from({ length: 300 }, (_, i) => i * 3 + Math.floor(r() * 3)); // ascending, with gaps
    order.push(order[299], order[10], order[250] + 1, order[5] - 1); // the last again, again, between, before
    const keyOf = new Map<number, string>(); // the key (and host) of each row's last add
    const hostOf = new Map<number, string>();
    order.forEach((row, i) => {
      const x =
        i < 300
          ? lines[i]
          : { key: `late${i}`, host: `late${i}`, sourcetype: 'late', line: `type=CWD msg=audit(999.9:${i}): cwd="/"` };
      a.add(row, x.host, x.sourcetype, parseAuditRaw(x.line), false);
      keyOf.set(row, x.key);
      hostOf.set(row, x.host);
    });
    a.finish();
    const asked = Array.from({ length: 1000 }, (_, i) => i);
    for (const q of [asked, [...asked].reverse(), asked.map(() => Math.floor(r() * 1000))]) {
      const eventOfKey = new Map<string, AuditEvent>();
      for (const row of q) {
        const ev = a.eventOf(row);
        const key = keyOf.get(row);
        expect([row, ev?.host]).toEqual([row, hostOf.get(row)]);
        if (key === undefined || ev === undefined) continue;
        if (!eventOfKey.has(key)) eventOfKey.set(key, ev);
        expect([row, ev === eventOfKey.get(key)]).toEqual([row, true]);
      }
      expect(new Set(eventOfKey.values()).size).toBe(eventOfKey.size); // other keys, other events
    }
  });

  test.each([11, 12, 13, 14, 15])(
    'across chunks: an event still holding records is found again by the same key only, for one chunk (seed %d)',
    (seed) => {
      const r = rng(seed);
      const a = new AuditAssembler();
      const first = inputs(r, 200);
      const second = inputs(r, 200);
      const third = inputs(r, 200);
      const e1 = chunk(a, first);
      a.end();
      const e2 = chunk(a, second);
      a.end();
      const e3 = chunk(a, third);
      a.end();
      const byKey = (rows: Input[], evs: (AuditEvent | undefined)[]) => new Map(rows.map((x, i) => [x.key, evs[i]]));
      const k1 = byKey(first, e1);
      const k2 = byKey(second, e2);
      let carried = 0;
      second.forEach((x, i) => {
        if (k1.has(x.key)) carried++;
        expect([x.key, e2[i] === k1.get(x.key)]).toEqual([x.key, k1.has(x.key)]);
      });
      third.forEach((x, i) => {
        // carried from the second chunk only; an event of the first chunk not seen in the second is gone
        expect([x.key, e3[i] === k2.get(x.key)]).toEqual([x.key, k2.has(x.key)]);
        if (!k2.has(x.key) && k1.has(x.key)) expect(e3[i]).not.toBe(k1.get(x.key));
      });
      expect(carried).toBeGreaterThan(10);
    },
  );
});
