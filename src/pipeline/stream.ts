/**
 * The command's state across the chunks of one search: audit event assembly (audit-assembly.ts) and the
 * process table (process-table.ts). Per chunk: a read-only pre-pass over the audit rows only (joins their
 * records, registers every exec in the table, so a child sees a parent that comes later in the chunk —
 * splunkd sends newest first), then the streaming transform scores each row.
 *
 * Lineage limits: a parent whose exec arrives in a later chunk (it is older) is not known when its child is
 * scored; auditd pids are looked up per host at the child's exec time (pid reuse inside the table's
 * window can mislead). Sysmon events carry their parent's command line themselves; following Sysmon/CIM
 * GUIDs further up (ProcessTable.addGuid/lineageByGuid) is not wired into the stream yet.
 */
import { parseAuditRaw } from '../telemetry/auditd';
import { withEventFields } from '../telemetry/normalise';
import { FieldGetter } from '../telemetry/types';
import { Row, RowVisitor } from '../scp/row-stream';
import { scanRowsWith } from '../scp/row-scan';
import { AuditAssembler, AuditEvent } from './audit-assembly';
import { Ancestor, ProcessTable } from './process-table';
import { EVIDENCE_PREFILTER } from '../detection/model/prefilter';
import {
  AUDIT_EXEC_QUIET,
  AUDIT_RECORD,
  EventScore,
  FieldOp,
  ScoreOptions,
  scoreEvent,
  scoreNormalised,
} from './score-event';

const AUDIT_NEEDLE = Buffer.from('msg=audit(', 'latin1');

function apply(row: Row, ops: readonly FieldOp[]): void {
  for (const op of ops) {
    if (op[1] === null) row.copyField(op[2], op[0]);
    else if (typeof op[1] === 'string') row.set(op[0], op[1]);
    else row.setMulti(op[0], op[1]);
  }
}

function shown(a: Ancestor): string {
  return a.process ?? a.name ?? '?';
}

export class StreamScorer {
  readonly table = new ProcessTable();
  private readonly audit = new AuditAssembler((ev) => this.remember(ev));

  /** cim=all: every event gets the CIM fields, not only those whose text names container tooling. */
  private readonly all: boolean;

  constructor(private readonly options: ScoreOptions) {
    this.all = options.cim === 'all';
  }

  /** Scores one chunk through `transform` (the streaming fast path or the reference codec). */
  scoreChunk<T>(body: Buffer, transform: (body: Buffer, visit: RowVisitor) => T): T {
    if (this.options.mode === 'seed') return transform(body, this.plainVisitor());
    this.prePass(body);
    try {
      return transform(body, this.visitor());
    } finally {
      this.audit.end();
    }
  }

  private prePass(body: Buffer): void {
    this.audit.begin();
    scanRowsWith(body, AUDIT_NEEDLE, ['_raw', 'host', 'sourcetype'], (row, [raw, host, sourcetype]) => {
      const recs = parseAuditRaw(raw);
      if (recs.length > 0) this.audit.add(row, host, sourcetype, recs, this.all || EVIDENCE_PREFILTER.test(raw));
    });
    this.audit.finish();
  }

  /** Every exec with a pid goes into the process table before any row of the chunk is scored. */
  private remember(ev: AuditEvent): void {
    const f = ev.fields;
    if (!ev.isExec || ev.time === undefined || f?.process_id === undefined) return;
    this.table.addPid(ev.host, f.process_id, {
      process: f.process,
      name: f.process_name,
      ppid: f.parent_process_id,
      t: ev.time,
    });
  }

  private plainVisitor(): RowVisitor {
    let row: Row;
    const get = (name: string) => row.get(name);
    const matches = (re: RegExp) => row.matches(re);
    const min = this.options.minScore;
    return (current: Row) => {
      row = current;
      const r = scoreEvent(get, this.options, matches);
      apply(row, r.ops);
      return r.risk_score >= min;
    };
  }

  private visitor(): RowVisitor {
    let row: Row;
    let n = -1;
    const get = (name: string) => row.get(name);
    const matches = (re: RegExp) => row.matches(re);
    const min = this.options.minScore;
    return (current: Row) => {
      row = current;
      n++;
      const ev = this.audit.eventOf(n);
      let r: EventScore;
      if (ev !== undefined)
        r = ev.scoreRow !== n ? AUDIT_RECORD : ev.evidence ? this.scoreAudit(get, ev) : AUDIT_EXEC_QUIET;
      else r = scoreEvent(get, this.options, matches);
      apply(row, r.ops);
      return r.risk_score >= min;
    };
  }

  /** The scored record of an audit event: the whole event's fields, its parent and ancestry. */
  private scoreAudit(get: FieldGetter, ev: AuditEvent): EventScore {
    const n = withEventFields(get, { ...this.audit.fieldsOf(ev) });
    // A connect whose executable is unknown (its SYSCALL was not seen) says nothing about who connected.
    if (n.event_kind === 'socket_connect' && n.process_path === undefined && n.process_name === undefined) {
      n.socket_path = undefined;
      n.event_kind = undefined;
    }
    let lineage: string[] | undefined;
    if (ev.time !== undefined && (n.process_id !== undefined || n.parent_process_id !== undefined)) {
      const anc = this.table.lineage(ev.host, n.process_id, n.parent_process_id, ev.time);
      if (anc.length > 0) {
        lineage = anc.map(shown);
        const parent = anc.find((a) => a.via === 'parent');
        if (parent !== undefined && n.parent_process === undefined && n.parent_process_name === undefined) {
          n.parent_process = parent.process;
          n.parent_process_name = parent.name;
        }
      }
    }
    return scoreNormalised(get, n, this.options, { role: 'exec', lineage, time: ev.time });
  }
}
