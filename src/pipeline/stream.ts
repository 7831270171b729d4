/**
 * The command's state across the chunks of one search: audit event assembly (audit-assembly.ts) and the
 * process table (process-table.ts). Per chunk: a read-only pre-pass over the audit rows only (joins their
 * records, registers every exec in the table, so a child sees a parent that comes later in the chunk —
 * splunkd sends newest first), then the streaming transform scores each row. Fields and limits:
 * docs/pipeline.md.
 *
 * Lineage limits: a parent whose exec arrives in a later chunk (it is older) is not known when its child is
 * scored; auditd pids are looked up per host at the child's exec time (pid reuse inside the table's
 * window can mislead). Sysmon/CIM GUIDs are followed when the event carries them as fields
 * (ProcessGuid/ParentProcessGuid, process_guid/parent_process_guid): chunks with such a column pay a second
 * read-only pass; Sysmon XML in `_raw` alone is not searched for GUIDs.
 */
import { parseAuditRaw } from '../telemetry/auditd';
import { normaliseEvent, withEventFields } from '../telemetry/normalise';
import { basename } from '../telemetry/util';
import { FieldGetter } from '../telemetry/types';
import { Row, RowVisitor } from '../scp/row-stream';
import { needleSet, scanRowsWith } from '../scp/row-scan';
import { testText } from '../scp/row-match';
import { AuditAssembler, AuditEvent } from './audit-assembly';
import { Ancestor, ProcessTable } from './process-table';
import { EVIDENCE_PREFILTER } from '../detection/model/prefilter';
import { setRowIndexUse, setRowLiterals } from '../scp/wasm/csv-index';
import {
  NOT_A_BUILD,
  AUDIT_EXEC_QUIET,
  AUDIT_RECORD,
  EventScore,
  FieldOp,
  ScoreOptions,
  scoreEvent,
  scoreNormalised,
} from './score-event';

const AUDIT_NEEDLE = Buffer.from('msg=audit(', 'latin1');
const GUID_COLUMNS = [
  'ProcessGuid',
  'process_guid',
  'ParentProcessGuid',
  'parent_process_guid',
  'host',
  'CommandLine',
  'process',
  'Image',
  'process_name',
];

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
  /** The chunk has a parent GUID column (Sysmon ParentProcessGuid, CIM parent_process_guid). */
  private guids = false;

  constructor(private readonly options: ScoreOptions) {
    this.all = options.cim === 'all';
    // The engine's row pass marks the rows holding one of the prefilter's literals (row-stream.ts matches),
    // and the audit records the pre-pass reads (row-scan.ts); mode=seed scans rows in JS (csv-index.ts).
    if (options.mode === 'seed') setRowIndexUse('never');
    else {
      setRowIndexUse('sparse');
      setRowLiterals([EVIDENCE_PREFILTER.anchors ?? [], needleSet(AUDIT_NEEDLE.toString('latin1'))]);
    }
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
    const anchors = EVIDENCE_PREFILTER.anchors;
    scanRowsWith(
      body,
      AUDIT_NEEDLE,
      ['_raw', 'host', 'sourcetype'],
      (row, v, marked) => {
        const raw = v[0];
        const recs = parseAuditRaw(raw);
        // A row the row pass did not mark holds no anchor, so its _raw cannot match (prefilter.ts).
        const evidence = this.all || (marked !== false && testText(EVIDENCE_PREFILTER, raw));
        if (recs.length > 0) this.audit.add(row, v[1], v[2], recs, evidence);
      },
      anchors,
    );
    this.audit.finish();
    const header = body.subarray(0, Math.max(0, body.indexOf(10))).toString('latin1');
    this.guids = /(?:^|[",])(?:ParentProcessGuid|parent_process_guid)(?:[",]|$)/.test(header);
    if (this.guids) scanRowsWith(body, null, GUID_COLUMNS, (_row, v) => this.rememberGuid(v));
  }

  /** Sysmon/CIM processes by GUID (chunks with a parent GUID column only): later rows are their parents. */
  private rememberGuid([guid, guid2, parent, parent2, host, cmd, proc, image, name]: string[]): void {
    const g = guid || guid2;
    if (g === '') return;
    this.table.addGuid(host, g, {
      process: cmd || proc || undefined,
      name: basename(image || name) ?? undefined,
      parentGuid: parent || parent2 || undefined,
      t: 0,
    });
  }

  /** A Sysmon/CIM event whose parent GUID leads up the table: parent (when absent) and ancestry. */
  private scoreWithGuid(get: FieldGetter): EventScore {
    const n = normaliseEvent(get);
    const parentGuid = get('ParentProcessGuid') ?? get('parent_process_guid');
    const anc = parentGuid !== undefined ? this.table.lineageByGuid(get('host') ?? '', parentGuid) : [];
    if (anc.length > 0 && n.parent_process === undefined && n.parent_process_name === undefined) {
      n.parent_process = anc[0].process;
      n.parent_process_name = anc[0].name;
    }
    return scoreNormalised(get, n, this.options, anc.length > 0 ? { lineage: anc.map(shown) } : undefined);
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
    const label = this.options.runtimeLabel;
    return (current: Row) => {
      row = current;
      const r = scoreEvent(get, this.options, matches);
      apply(row, r.ops);
      if (label !== undefined) row.set('t1612_runtime', label);
      return r.risk_score >= min;
    };
  }

  private visitor(): RowVisitor {
    let row: Row;
    let n = -1;
    const get: FieldGetter = (name: string) => row.get(name);
    get.doubled = (name: string) => row.doubled?.(name);
    const matches = (re: RegExp) => row.matches(re);
    const min = this.options.minScore;
    const label = this.options.runtimeLabel;
    return (current: Row) => {
      row = current;
      n++;
      const ev = this.audit.eventOf(n);
      let r: EventScore;
      if (ev !== undefined)
        r = ev.scoreRow !== n ? AUDIT_RECORD : ev.evidence ? this.scoreAudit(get, ev) : AUDIT_EXEC_QUIET;
      else if (this.guids) r = this.all || matches(EVIDENCE_PREFILTER) ? this.scoreWithGuid(get) : NOT_A_BUILD;
      else r = scoreEvent(get, this.options, matches);
      apply(row, r.ops);
      if (label !== undefined) row.set('t1612_runtime', label);
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
