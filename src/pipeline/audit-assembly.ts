/**
 * Joins the records of one audit event (host + `audit(<time>:<serial>)`) that Splunk indexed as separate
 * events (linux:audit's default line breaking: one record per event), within a chunk and across a chunk
 * boundary through a bounded carry, and picks the one row that is scored for the event:
 * the EXECVE record, else the SYSCALL of an execve, else USER_CMD, else the SYSCALL of a connect that has
 * its SOCKADDR. Every other record of the event is a `record` row that never alerts.
 *
 * Limits (splunkd sends newest first; records of one event share a time, so they are adjacent):
 * - the carry keeps the last CARRY_EVENTS events of the previous chunk only; records of an event further
 *   apart in the stream are joined as far as the carry reaches, the rest come back as `record` rows;
 * - an event whose scored record comes in one chunk and whose other records in the next is scored with what
 *   the first chunk held (e.g. an EXECVE whose SYSCALL comes next is scored without user or pid) — a reply
 *   cannot wait for the next chunk;
 * - at most RECORDS_PER_EVENT records are joined per event.
 */
import { AuditRecord, auditEpoch, auditEventFromRecords } from '../telemetry/auditd';
import { NormalisedEvent } from '../telemetry/types';

export const CARRY_EVENTS = 256;
export const RECORDS_PER_EVENT = 64;

/** execve and execveat: x86_64 59/322, aarch64 221/281 (auditd logs the number in RAW, the name with -i). */
const EXEC_SYSCALLS = new Set(['59', '322', '221', '281', 'execve', 'execveat']);

export interface AuditEvent {
  host: string;
  recs: AuditRecord[];
  /** Input row numbers of this chunk holding its records. */
  rows: number[];
  /** The row scored for the event in this chunk, or -1. */
  scoreRow: number;
  /** Scored in an earlier chunk: every record here is a `record` row. */
  scored: boolean;
  isExec: boolean;
  time: number | undefined;
  /** The event's fields from all its records so far (computed once per chunk). */
  fields?: NormalisedEvent;
}

function has(recs: AuditRecord[], type: string): boolean {
  for (const r of recs) if (r.type === type) return true;
  return false;
}

export class AuditAssembler {
  private carry = new Map<string, AuditEvent>();
  private events = new Map<string, AuditEvent>();
  private byRow = new Map<number, AuditEvent>();
  private rowRecs = new Map<number, AuditRecord[]>();

  /** Starts a chunk's pre-pass. */
  begin(): void {
    this.events = new Map();
    this.byRow = new Map();
    this.rowRecs = new Map();
  }

  /** Adds the records one row holds (one record, or a merged event); the same log indexed twice stays apart. */
  add(row: number, host: string, sourcetype: string, recs: AuditRecord[]): void {
    if (recs.length === 0) return;
    const first = recs[0];
    const key = host + '\0' + sourcetype + '\0' + (first.node ?? '') + '\0' + first.id;
    let ev = this.events.get(key);
    if (!ev) {
      ev = this.carry.get(key);
      if (ev) {
        this.carry.delete(key);
        ev.rows = [];
        ev.scoreRow = -1;
        ev.fields = undefined;
      } else {
        ev = { host, recs: [], rows: [], scoreRow: -1, scored: false, isExec: false, time: auditEpoch(first.id) };
      }
      this.events.set(key, ev);
    }
    for (const r of recs) if (ev.recs.length < RECORDS_PER_EVENT) ev.recs.push(r);
    ev.rows.push(row);
    this.byRow.set(row, ev);
    this.rowRecs.set(row, recs);
  }

  /** Ends the pre-pass: picks each event's scored row; returns the events touched by this chunk. */
  settle(): Iterable<AuditEvent> {
    for (const ev of this.events.values()) {
      let sys: AuditRecord | undefined;
      for (const r of ev.recs) if (r.type === 'SYSCALL') sys ??= r;
      const sysNo = sys?.kv.syscall;
      ev.isExec = has(ev.recs, 'EXECVE') || (sysNo !== undefined && EXEC_SYSCALLS.has(sysNo));
      if (ev.scored) continue;
      const rowWith = (type: string): number => {
        for (const row of ev.rows) if (has(this.rowRecs.get(row) ?? [], type)) return row;
        return -1;
      };
      if (ev.isExec) {
        ev.scoreRow = rowWith('EXECVE');
        if (ev.scoreRow < 0) ev.scoreRow = rowWith('SYSCALL');
      } else if (has(ev.recs, 'USER_CMD')) ev.scoreRow = rowWith('USER_CMD');
      else if (sys !== undefined && has(ev.recs, 'SOCKADDR')) ev.scoreRow = rowWith('SYSCALL');
      if (ev.scoreRow < 0 && !ev.isExec && sys !== undefined && has(ev.recs, 'SOCKADDR'))
        ev.scoreRow = rowWith('SOCKADDR'); // its SYSCALL came in the previous chunk
    }
    return this.events.values();
  }

  /** The event of an input row, when it holds audit records. */
  eventOf(row: number): AuditEvent | undefined {
    return this.byRow.get(row);
  }

  /** Fields of the whole event (all records joined so far). */
  fieldsOf(ev: AuditEvent): NormalisedEvent {
    return (ev.fields ??= auditEventFromRecords(ev.recs));
  }

  /** Ends the chunk: the last CARRY_EVENTS events wait for their other records in the next chunk. */
  end(): void {
    const carry = new Map<string, AuditEvent>();
    let skip = this.events.size - CARRY_EVENTS;
    for (const [key, ev] of this.events) {
      if (skip-- > 0) continue;
      ev.scored ||= ev.scoreRow >= 0;
      ev.fields = undefined;
      carry.set(key, ev);
    }
    this.carry = carry;
    this.events = new Map();
    this.byRow = new Map();
    this.rowRecs = new Map();
  }
}
