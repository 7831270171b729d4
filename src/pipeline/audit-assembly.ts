/**
 * Joins the records of one audit event (host + `audit(<time>:<serial>)`) that Splunk indexed as separate
 * events (linux:audit's default line breaking: one record per event), within a chunk and across a chunk
 * boundary through a bounded carry, and picks the one row that is scored for the event:
 * the EXECVE record, else the SYSCALL of an execve, else USER_CMD, else the SYSCALL of a connect that has
 * its SOCKADDR. Every other record of the event is a `record` row that never alerts.
 *
 * Records of one event share a time, so splunkd sends them next to each other. Limits:
 * - an event is settled once WINDOW newer events have been seen after it; a record of it arriving later
 *   (interleaved further than that) comes back as a `record` row;
 * - the carry holds the last WINDOW events of the previous chunk only; an event whose scored record comes
 *   in one chunk and whose other records in the next is scored with what the first chunk held (e.g. an
 *   EXECVE whose SYSCALL comes next is scored without user or pid) — a reply cannot wait for the next chunk;
 * - at most RECORDS_PER_EVENT records are joined per event.
 * Memory: records are kept for the open window only, never for a whole chunk.
 */
import { AuditRecord, auditEpoch, auditEventFromRecords } from '../telemetry/auditd';
import { NormalisedEvent } from '../telemetry/types';
import { EventIndex, Key, KEY, readKey, Slot } from './audit-key-index';

export const WINDOW = 256;
export const RECORDS_PER_EVENT = 64;

/** execve and execveat: x86_64 59/322, aarch64 221/281 (auditd logs the number in RAW, the name with -i). */
const EXEC_SYSCALLS = new Set(['59', '322', '221', '281', 'execve', 'execveat']);

export interface AuditEvent {
  host: string;
  recs: AuditRecord[];
  /** First input row (this chunk) holding each record type that can be the scored one; -1 when none. */
  execveRow: number;
  syscallRow: number;
  userCmdRow: number;
  sockaddrRow: number;
  /** The row scored for the event in this chunk, or -1. */
  scoreRow: number;
  /** Scored in an earlier chunk: every record here is a `record` row. */
  scored: boolean;
  /** Settled in this chunk (scored row picked; later records are `record` rows). */
  settled: boolean;
  isExec: boolean;
  /** A record of the event may name container tooling (EVIDENCE_PREFILTER on its text). */
  evidence: boolean;
  time: number | undefined;
  /**
   * The event's fields from all its records: all of them for scored rows with evidence, the process
   * table's (auditEventFromRecords processOnly) for other execs while `settled` runs.
   */
  fields?: NormalisedEvent;
}

/** Shared by the events that dropped their records: add() replaces an empty list, never appends to it. */
const NO_RECORDS = Object.freeze([]) as unknown as AuditRecord[];

function has(recs: AuditRecord[], type: string): boolean {
  for (const r of recs) if (r.type === type) return true;
  return false;
}

export class AuditAssembler {
  private carry = new EventIndex();
  private events = new EventIndex();
  /** Input rows holding audit records, ascending, and their events (eventOf). */
  private rows: number[] = [];
  private rowEvents: Slot[] = [];
  private cursor = 0;
  /** Events of `events.list` before `head` are settled. */
  private head = 0;
  /** The previous row's sourcetype: its events share the one string. */
  private sourcetype = '';

  /** `settled(ev)` runs once per event and chunk, when its scored row is known (fills the process table). */
  constructor(private readonly settled: (ev: AuditEvent) => void = () => undefined) {}

  /** Probe steps of the chunk's key index so far (tests bound the work with it). */
  get keyProbes(): number {
    return this.events.probes;
  }

  /** Starts a chunk's pre-pass. */
  begin(): void {
    this.events = new EventIndex();
    this.clearRows();
    this.head = 0;
  }

  /**
   * Adds the records one row holds (one record, or a merged event); the same log indexed twice stays apart.
   * The event may keep `recs` itself: the caller hands it over.
   */
  add(row: number, host: string, sourcetype: string, recs: AuditRecord[], evidence: boolean): void {
    if (recs.length === 0) return;
    const first = recs[0];
    if (sourcetype === this.sourcetype) sourcetype = this.sourcetype;
    else this.sourcetype = sourcetype;
    const k = KEY;
    readKey(first, host, sourcetype, k);
    let ev = this.events.get(k);
    if (!ev) {
      // (a carried event stays in the carry: the chunk's index, asked first, finds it from now on)
      ev = this.carry.size > 0 ? this.carry.get(k) : undefined;
      if (ev) {
        ev.execveRow = ev.syscallRow = ev.userCmdRow = ev.sockaddrRow = ev.scoreRow = -1;
        ev.settled = false;
        ev.fields = undefined;
      } else ev = newEvent(host, sourcetype, first, k);
      const list = this.events.list;
      this.events.add(k, ev);
      if (list.length - this.head > WINDOW) this.settle(list[this.head++], false);
    }
    this.setRow(row, ev);
    ev.evidence ||= evidence;
    if (ev.settled) return; // interleaved further than the window: a record row
    if (ev.recs.length === 0) ev.recs = recs.length <= RECORDS_PER_EVENT ? recs : recs.slice(0, RECORDS_PER_EVENT);
    else for (const r of recs) if (ev.recs.length < RECORDS_PER_EVENT) ev.recs.push(r);
    for (const r of recs) {
      if (r.type === 'EXECVE' && ev.execveRow < 0) ev.execveRow = row;
      else if (r.type === 'SYSCALL' && ev.syscallRow < 0) ev.syscallRow = row;
      else if (r.type === 'USER_CMD' && ev.userCmdRow < 0) ev.userCmdRow = row;
      else if (r.type === 'SOCKADDR' && ev.sockaddrRow < 0) ev.sockaddrRow = row;
    }
  }

  /** rows/rowEvents stay sorted: rows come in order (a row given again replaces its event). */
  private setRow(row: number, ev: Slot): void {
    const { rows } = this;
    const n = rows.length;
    if (n === 0 || rows[n - 1] < row) {
      rows.push(row);
      this.rowEvents.push(ev);
      return;
    }
    const i = this.position(row);
    if (rows[i] === row) this.rowEvents[i] = ev;
    else {
      rows.splice(i, 0, row);
      this.rowEvents.splice(i, 0, ev);
    }
  }

  /** The first position in rows holding `row` or a later row. */
  private position(row: number): number {
    const { rows } = this;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid] < row) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private clearRows(): void {
    this.rows = [];
    this.rowEvents = [];
    this.cursor = 0;
  }

  /** Ends the pre-pass: settles the events still open (they keep their records for the carry). */
  finish(): void {
    const list = this.events.list;
    while (this.head < list.length) this.settle(list[this.head++], true);
  }

  private settle(ev: AuditEvent, keep: boolean): void {
    this.pick(ev);
    ev.settled = true;
    // scored rows with evidence need the fields; the process table needs an exec's pid (its SYSCALL)
    const scored = ev.scoreRow >= 0 && ev.evidence;
    if (scored || (ev.isExec && has(ev.recs, 'SYSCALL'))) ev.fields = auditEventFromRecords(ev.recs, !scored);
    this.settled(ev);
    if (!scored) ev.fields = undefined; // its strings keep the event text alive
    if (!keep) ev.recs = NO_RECORDS;
  }

  private pick(ev: AuditEvent): void {
    let sys: AuditRecord | undefined;
    for (const r of ev.recs) if (r.type === 'SYSCALL') sys ??= r;
    const sysNo = sys?.kv.syscall;
    ev.isExec = has(ev.recs, 'EXECVE') || (sysNo !== undefined && EXEC_SYSCALLS.has(sysNo));
    if (ev.scored) return;
    if (ev.isExec) ev.scoreRow = ev.execveRow >= 0 ? ev.execveRow : ev.syscallRow;
    else if (ev.userCmdRow >= 0) ev.scoreRow = ev.userCmdRow;
    else if (sys !== undefined && has(ev.recs, 'SOCKADDR'))
      // the connect's SYSCALL, else its SOCKADDR when the SYSCALL came in the previous chunk
      ev.scoreRow = ev.syscallRow >= 0 ? ev.syscallRow : ev.sockaddrRow;
  }

  /** The event of an input row, when it holds audit records. */
  eventOf(row: number): AuditEvent | undefined {
    const { rows } = this;
    let i = this.cursor;
    // the transform asks row after row: walk on from the last answer (else search)
    if (i > 0 && rows[i - 1] >= row) i = this.position(row);
    else while (i < rows.length && rows[i] < row) i++;
    this.cursor = i;
    return i < rows.length && rows[i] === row ? this.rowEvents[i] : undefined;
  }

  /** Fields of the whole event; set when settled for scored and exec events. */
  fieldsOf(ev: AuditEvent): NormalisedEvent {
    return ev.fields ?? { t1612_source: 'none:auditd event not scored' };
  }

  /** Ends the chunk: the events still holding records (the last WINDOW) wait for the rest in the next chunk. */
  end(): void {
    const carry = new EventIndex();
    for (const ev of this.events.list) {
      if (ev.recs.length === 0) continue;
      ev.scored ||= ev.scoreRow >= 0;
      ev.fields = undefined;
      readKey(ev.recs[0], ev.host, ev.sourcetype, KEY); // the record its key was read from
      carry.add(KEY, ev);
    }
    this.carry = carry;
    this.events = new EventIndex();
    this.clearRows();
    this.head = 0;
  }
}

function newEvent(host: string, sourcetype: string, first: AuditRecord, k: Key): Slot {
  return {
    host,
    sourcetype,
    serial: k.num < 0 ? -1 : k.serial,
    shape: k.num < 0 ? -1 : k.shape,
    recs: NO_RECORDS,
    execveRow: -1,
    syscallRow: -1,
    userCmdRow: -1,
    sockaddrRow: -1,
    scoreRow: -1,
    scored: false,
    settled: false,
    isExec: false,
    evidence: false,
    time: k.num < 0 ? auditEpoch(first.id) : parseFloat(first.id), // the same for a RAW id (Key)
    fields: undefined,
  };
}
