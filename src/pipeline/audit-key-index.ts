/**
 * The keys of audit events (audit-assembly.ts): which rows join one event (same id, host, sourcetype and
 * node), found without building, hashing or keeping a string per event for the usual RAW ids.
 */
import type { AuditEvent } from './audit-assembly';
import type { AuditRecord } from '../telemetry/auditd';

/** An event with what finds it again. */
export interface Slot extends AuditEvent {
  sourcetype: string;
  /** A RAW id's serial and digit counts (see Key); -1 for an event keyed by string. */
  serial: number;
  shape: number;
}

/**
 * An event's key. The usual RAW id without node= (`<digits>[.<digits>]:<digits>`, 15 digits at most on
 * each side of the colon) is read as numbers: a bucket number from its characters, and, to tell the events
 * of a bucket apart, its serial, its digit counts and its time (Number of the part before the colon, which
 * tells apart any two decimals of 15 digits or fewer). Together with host and sourcetype that is the id
 * exactly, with no string to build, hash or keep. Any other id is keyed by the string id + host +
 * sourcetype + node.
 */
export interface Key {
  /** Bucket number; -1: keyed by `text`. */
  num: number;
  serial: number;
  shape: number;
  id: string;
  host: string;
  sourcetype: string;
  text: string;
}

export function readKey(first: AuditRecord, host: string, sourcetype: string, k: Key): void {
  k.id = first.id;
  k.host = host;
  k.sourcetype = sourcetype;
  k.num = first.node === undefined ? readRawId(first.id, k) : -1;
  if (k.num < 0) k.text = textKey(first.id, host, sourcetype, first.node);
}

function textKey(id: string, host: string, sourcetype: string, node: string | undefined): string {
  const text =
    node === undefined ? id + '\0' + host + '\0' + sourcetype : id + '\0' + host + '\0' + sourcetype + '\0' + node;
  // Reading a character flattens the key (a copy): it no longer holds the id, a slice of the row's text,
  // which would keep every audit row of the chunk alive until end().
  text.charCodeAt(0);
  return text;
}

/** The RAW id an event's numbers stand for (Key): `<time with its digit counts>:<serial>`. */
function rawIdOf(ev: Slot): string {
  const intLen = ev.shape & 15;
  const fracLen = (ev.shape >> 4) & 15;
  const t = (ev.time as number).toFixed(fracLen); // 15 digits at most: the digits it was read from
  const intDigits = fracLen > 0 ? t.length - fracLen - 1 : t.length;
  return '0'.repeat(intLen - intDigits) + t + ':' + String(ev.serial).padStart(ev.shape >> 8, '0');
}

/** Fills k.serial and k.shape and returns the bucket number of a RAW id; -1 for any other id. */
function readRawId(id: string, k: Key): number {
  const n = id.length;
  let i = 0;
  let h = 0;
  let c = 0;
  while (i < n && (c = id.charCodeAt(i)) >= 48 && c <= 57) {
    h = (Math.imul(h, 31) + c) | 0;
    i++;
  }
  const intLen = i;
  let fracLen = 0;
  if (c === 46 /* . */ && i < n) {
    h = (Math.imul(h, 31) + c) | 0;
    i++;
    while (i < n && (c = id.charCodeAt(i)) >= 48 && c <= 57) {
      h = (Math.imul(h, 31) + c) | 0;
      i++;
      fracLen++;
    }
    if (fracLen === 0) return -1;
  }
  if (intLen === 0 || intLen + fracLen > 15 || i >= n || id.charCodeAt(i) !== 58 /* : */) return -1;
  i++;
  let serial = 0;
  const serialStart = i;
  while (i < n && (c = id.charCodeAt(i)) >= 48 && c <= 57) {
    serial = serial * 10 + (c - 48);
    i++;
  }
  const serialLen = i - serialStart;
  if (i !== n || serialLen === 0 || serialLen > 15) return -1;
  k.serial = serial;
  k.shape = intLen | (fracLen << 4) | (serialLen << 8);
  h = (Math.imul(h, 31) + serial) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b); // mixed: sequential serials would fill neighbouring slots
  return (h ^ (h >>> 16)) & 0x3fffffff;
}

/**
 * Probe steps (past each operation's first slot) an index may take per operation, plus a start, before it
 * keys every event by string: ids crafted to share a bucket cannot make the table quadratic.
 */
const PROBES_PER_OP = 8;
const PROBES_START = 4096;

/**
 * Events by key (Key), in insertion order (`list`): numeric keys in an open-addressing table of list
 * positions (typed arrays: no Map entry or bucket object per event), string keys in a Map.
 */
export class EventIndex {
  readonly list: Slot[] = [];
  /** List position + 1 per slot (0: empty), and the key number there (compared before the event). */
  private slots = new Int32Array(1024);
  private nums = new Int32Array(1024);
  private used = 0;
  private readonly byText = new Map<string, Slot>();
  private ops = 0;
  /** Probe steps so far (see PROBES_PER_OP). */
  probes = 0;
  /** The probe budget ran out: every key by string from then on. */
  private textOnly = false;

  get size(): number {
    return this.list.length;
  }

  get(k: Key): Slot | undefined {
    if (k.num < 0) return this.byText.get(k.text);
    if (this.textOnly) return this.byText.get(textKey(k.id, k.host, k.sourcetype, undefined));
    const { slots, nums, list } = this;
    const mask = slots.length - 1;
    const budget = PROBES_PER_OP * ++this.ops + PROBES_START;
    let time: number | undefined;
    for (let i = k.num & mask; slots[i] !== 0; i = (i + 1) & mask) {
      if (nums[i] === k.num) {
        const ev = list[slots[i] - 1];
        if (ev.serial === k.serial && ev.shape === k.shape && ev.host === k.host && ev.sourcetype === k.sourcetype) {
          time ??= parseFloat(k.id); // = auditEpoch(id) for a RAW id: the digits before the colon
          if (ev.time === time) return ev;
        }
      }
      if (++this.probes > budget) {
        this.toText();
        return this.get(k);
      }
    }
    return undefined;
  }

  /** Adds an event not in the index. */
  add(k: Key, ev: Slot): void {
    this.list.push(ev);
    if (k.num < 0) this.byText.set(k.text, ev);
    else if (this.textOnly) this.byText.set(textKey(k.id, k.host, k.sourcetype, undefined), ev);
    else {
      this.ops++;
      if (2 * (this.used + 1) > this.slots.length) this.grow();
      this.place(k.num, this.list.length);
      this.used++;
    }
  }

  private place(num: number, pos: number): void {
    if (this.textOnly) return; // (the event is in byText: toText read the whole list)
    const mask = this.slots.length - 1;
    const budget = PROBES_PER_OP * this.ops + PROBES_START;
    let i = num & mask;
    while (this.slots[i] !== 0) {
      i = (i + 1) & mask;
      if (++this.probes > budget) {
        this.toText();
        return;
      }
    }
    this.slots[i] = pos;
    this.nums[i] = num;
  }

  private grow(): void {
    const { slots, nums } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.nums = new Int32Array(slots.length * 2);
    for (let i = 0; i < slots.length && !this.textOnly; i++) if (slots[i] !== 0) this.place(nums[i], slots[i]);
  }

  /** Every event of the numeric table into byText, under the key its numbers stand for. */
  private toText(): void {
    this.textOnly = true;
    this.slots = new Int32Array(1);
    this.nums = new Int32Array(1);
    for (const ev of this.list)
      if (ev.serial >= 0) this.byText.set(textKey(rawIdOf(ev), ev.host, ev.sourcetype, undefined), ev);
  }
}

/** Scratch key of add() (one row at a time). */
export const KEY: Key = { num: -1, serial: 0, shape: 0, id: '', host: '', sourcetype: '', text: '' };
