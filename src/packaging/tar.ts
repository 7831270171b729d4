/** Minimal ustar writer/reader (+ gzip) so packaging needs no system tar and sets owner 0 itself. */
import { gunzipSync, gzipSync } from 'zlib';

export interface TarEntry {
  /** Path inside the archive; directories end with "/". */
  path: string;
  mode: number;
  type: 'file' | 'dir' | 'other';
  data: Buffer;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function splitName(path: string): [string, string] {
  if (Buffer.byteLength(path) <= 100) return ['', path];
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== '/') continue;
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return [prefix, name];
  }
  throw new Error(`path too long for ustar: ${path}`);
}

function header(path: string, mode: number, size: number, mtime: number, dir: boolean): Buffer {
  const h = Buffer.alloc(512, 0);
  const [prefix, name] = splitName(path);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode & 0o7777, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1'); // uid 0
  h.write(octal(0, 8), 116, 'latin1'); // gid 0
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(Math.floor(mtime), 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(dir ? '5' : '0', 156, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  // uname/gname stay empty: numeric owner 0 only.
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'latin1');
  return h;
}

export interface TarInput {
  path: string;
  mode: number;
  data?: Buffer;
}

/** Builds a gzip-compressed ustar archive; entries are written in the given order. */
export function createTgz(entries: TarInput[], mtime: number, level = 9): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const dir = e.path.endsWith('/');
    const data = dir ? Buffer.alloc(0) : (e.data ?? Buffer.alloc(0));
    parts.push(header(e.path, e.mode, data.length, mtime, dir));
    if (data.length) {
      parts.push(data);
      const pad = (512 - (data.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts), { level });
}

function str(b: Buffer, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return (z >= 0 ? s.subarray(0, z) : s).toString('utf8');
}

function num(b: Buffer, off: number, len: number): number {
  const s = str(b, off, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** Reads a .tgz; throws on a bad gzip stream or a header checksum mismatch. */
export function readTgz(tgz: Buffer): TarEntry[] {
  const tar = gunzipSync(tgz);
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | null = null;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    if (sum !== num(h, 148, 8)) throw new Error(`tar header checksum mismatch at offset ${off}`);
    const size = num(h, 124, 12);
    const typeflag = String.fromCharCode(h[156] || 0x30);
    const magic = str(h, 257, 6);
    const prefix = magic.startsWith('ustar') ? str(h, 345, 155) : '';
    let path = prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100);
    const data = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (typeflag === 'L') {
      longName = str(data, 0, data.length);
      continue;
    }
    if (typeflag === 'x' || typeflag === 'g') continue; // pax headers: ignore
    if (longName !== null) {
      path = longName;
      longName = null;
    }
    out.push({
      path,
      mode: num(h, 100, 8),
      type: typeflag === '5' ? 'dir' : typeflag === '0' || typeflag === '\0' ? 'file' : 'other',
      data: Buffer.from(data),
      uid: num(h, 108, 8),
      gid: num(h, 116, 8),
      uname: magic.startsWith('ustar') ? str(h, 265, 32) : '',
      gname: magic.startsWith('ustar') ? str(h, 297, 32) : '',
      mtime: num(h, 136, 12),
    });
  }
  return out;
}
