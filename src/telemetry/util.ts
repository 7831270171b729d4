/**
 * Small shared helpers for the parsers: hex decoding, basenames, user ids. The regexes here are anchored
 * and have no nested or adjacent overlapping quantifiers, so each runs in one linear pass.
 */

const UPPER_HEX = /^(?:[0-9A-F]{2})+$/;

/** auditd hex-encodes a value (upper-case, even length) when it holds a space, quote, control or non-ASCII byte. */
export function isAuditHex(v: string): boolean {
  return v.length >= 2 && UPPER_HEX.test(v);
}

/** Decodes auditd hex; NUL bytes (argv separators in PROCTITLE) become spaces, trailing NULs are dropped. */
export function decodeAuditHex(v: string): string {
  let s = Buffer.from(v, 'hex').toString('utf8');
  if (s.indexOf('\0') >= 0) {
    // not /\0+$/: that regex retries at every NUL of a long inner run (quadratic)
    let end = s.length;
    while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
    s = s.slice(0, end).replace(/\0/g, ' ');
  }
  return s;
}

/** A SOCKADDR `saddr` hex value → the unix socket path (abstract sockets as `@name`), else undefined. */
export function unixSocketPath(saddr: string): string | undefined {
  // sa_family is host order: AF_UNIX (1) on little-endian is 0100.
  if (!saddr.startsWith('0100') || !/^[0-9A-Fa-f]+$/.test(saddr)) return undefined;
  const bytes = Buffer.from(saddr.slice(4), 'hex');
  if (bytes.length === 0) return undefined;
  if (bytes[0] === 0) {
    const end = bytes.indexOf(0, 1);
    return '@' + bytes.subarray(1, end < 0 ? bytes.length : end).toString('utf8');
  }
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}

/** Last path component, for `/` and `\` paths. */
export function basename(p: string | undefined): string | undefined {
  if (!p) return undefined;
  let end = p.length;
  while (end > 1 && (p[end - 1] === '/' || p[end - 1] === '\\')) end--;
  const i = Math.max(p.lastIndexOf('/', end - 1), p.lastIndexOf('\\', end - 1));
  const b = p.slice(i + 1, end);
  return b === '' ? undefined : b;
}

/** First whitespace-separated token of a command line (honouring a leading double-quoted path). */
export function firstToken(cmd: string | undefined): string | undefined {
  if (!cmd) return undefined;
  const s = cmd.trimStart();
  if (s.startsWith('"')) {
    const q = s.indexOf('"', 1);
    return q > 0 ? s.slice(1, q) : s.slice(1);
  }
  const m = /^\S+/.exec(s);
  return m ? m[0] : undefined;
}

/**
 * A user from auditd: ENRICHED/ausearch names win (`root`; ausearch's `unknown(1001)` → `1001`);
 * a numeric id becomes `uid:<n>` except 0, which is root on every Linux system. 4294967295 (unset) → undefined.
 */
export function auditUser(name: string | undefined, numeric: string | undefined): string | undefined {
  const n = cleanUser(name);
  if (n) return /^\d+$/.test(n) ? 'uid:' + n : n;
  const u = cleanUser(numeric);
  return u !== undefined && /^\d+$/.test(u) ? 'uid:' + u : u;
}

function cleanUser(raw: string | undefined): string | undefined {
  const v =
    raw !== undefined && raw.length >= 2 && raw[0] === '"' && raw[raw.length - 1] === '"' ? raw.slice(1, -1) : raw;
  if (!v || v === 'unset' || v === '4294967295' || v === '-1' || v === '?') return undefined;
  const m = /^unknown\((\d+)\)$/.exec(v);
  if (m) return m[1];
  if (v === '0') return 'root';
  return v;
}
