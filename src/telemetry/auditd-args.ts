/** EXECVE arguments: from RAW/ENRICHED/ausearch record text and from search-time fields (`aN`, `aN[i]`), capped. */
import { FieldGetter } from './types';
import { isQuoted, unquote } from './kv';
import { decodeAuditHex, isAuditHex } from './util';

export function rawValue(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (isQuoted(v)) return v.slice(1, -1);
  return isAuditHex(v) ? decodeAuditHex(v) : v;
}

/** EXECVE argument indexes at or past this (or past argc) are rejected: `a4294967294` must not allocate. */
export const MAX_EXECVE_ARGS = 4096;
const EXECVE_KEY = / a(\d+)(?:\[(\d+)\]|_len)?=/g;
const ARG_KEY = /^a\d+(?:\[\d+\]|_len)?$/;

/** ausearch -i prints EXECVE values undelimited: split on ` aN=` keys. */
export function interpretedArgs(body: string, argc: number, bad: { index?: string }): string[] {
  const text = ' ' + body;
  const limit = Math.min(argc > 0 ? argc : MAX_EXECVE_ARGS, MAX_EXECVE_ARGS);
  const keys: { idx: number; piece: boolean; len: boolean; start: number; valStart: number }[] = [];
  EXECVE_KEY.lastIndex = 0;
  for (let m = EXECVE_KEY.exec(text); m; m = EXECVE_KEY.exec(text)) {
    const idx = Number(m[1]);
    if (idx >= limit) {
      // still a key boundary (the previous value ends here), but never an index to allocate for
      bad.index ??= 'a' + m[1].slice(0, 12);
      keys.push({ idx: -1, piece: false, len: true, start: m.index, valStart: m.index + m[0].length });
      continue;
    }
    keys.push({
      idx,
      piece: m[2] !== undefined,
      len: m[0].includes('_len'),
      start: m.index,
      valStart: m.index + m[0].length,
    });
  }
  const args: string[] = [];
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (key.len) continue;
    const end = k + 1 < keys.length ? keys[k + 1].start : text.length;
    let v = text.slice(key.valStart, end);
    if (k + 1 >= keys.length) v = v.replace(/ $/, ''); // ausearch ends every record with a space
    args[key.idx] = (args[key.idx] ?? '') + v;
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) if (args[i] !== undefined) out.push(args[i]);
  return out;
}

export function rawArgs(kv: Record<string, string>, bad: { index?: string }): string[] | undefined {
  let argc = Number(unquote(kv.argc));
  if (!Number.isFinite(argc) || argc <= 0) return undefined;
  if (argc > MAX_EXECVE_ARGS) {
    bad.index = `argc=${String(kv.argc).slice(0, 12)}`;
    argc = MAX_EXECVE_ARGS;
  }
  for (const k in kv) {
    // an argument key past argc (`a4294967294=`) is ignored, and said
    if (k.charCodeAt(0) === 97 /* a */ && ARG_KEY.test(k) && parseInt(k.slice(1), 10) >= argc) {
      bad.index ??= k.slice(0, 13);
      break;
    }
  }
  const args: string[] = [];
  for (let i = 0; i < argc; i++) {
    const v = kv['a' + i];
    if (v !== undefined) {
      args.push(rawValue(v) ?? '');
      continue;
    }
    if (kv[`a${i}_len`] === undefined && kv[`a${i}[0]`] === undefined) break;
    let hex = '';
    for (let p = 0; kv[`a${i}[${p}]`] !== undefined; p++) hex += kv[`a${i}[${p}]`];
    args.push(isAuditHex(hex) ? decodeAuditHex(hex) : (unquote(hex) ?? ''));
  }
  return args.length > 0 ? args : undefined;
}

/** Values of a possibly multivalue field (LF-joined). */
export function mv(get: FieldGetter, name: string): string[] {
  const v = get(name);
  return v === undefined ? [] : v.split('\n');
}

/** SYSCALL's a0–a3 are lower-case hex registers; in `values(aN)` they mix with EXECVE's arguments. */
const REGISTER = /^[0-9a-f]{1,16}$/;

export function fieldValue(v: string): string {
  return isAuditHex(v) ? decodeAuditHex(v) : v;
}

export function fieldArgs(get: FieldGetter): string[] | undefined {
  const argcs = mv(get, 'argc');
  if (argcs.length !== 1) return undefined;
  const argc = Number(argcs[0]);
  if (!Number.isFinite(argc) || argc <= 0 || argc > 4096) return undefined;
  const args: string[] = [];
  for (let i = 0; i < argc; i++) {
    let vals = mv(get, 'a' + i);
    if (vals.length === 0) {
      // a2[0]… (Splunk renames to a2_0_); long arguments are always hex.
      let hex = '';
      for (let p = 0; ; p++) {
        const piece = get(`a${i}[${p}]`) ?? get(`a${i}_${p}_`);
        if (piece === undefined) break;
        hex += piece;
      }
      if (hex === '') return undefined;
      args.push(fieldValue(hex));
      continue;
    }
    if (vals.length > 1 && i < 4) vals = vals.filter((v) => !REGISTER.test(v));
    if (vals.length !== 1) return undefined; // ambiguous: let PROCTITLE speak
    args.push(fieldValue(vals[0]));
  }
  return args;
}
