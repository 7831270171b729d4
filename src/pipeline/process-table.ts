/**
 * A bounded table of the processes seen in the stream, per host: auditd pid → the images it ran (exec
 * chain), Sysmon/CIM process GUIDs → their parent GUID. Gives an exec its parent and ancestry
 * (`t1612_lineage`, nearest first). Insertion-ordered Map: the least recently written entry is evicted
 * past the cap, so memory stays bounded whatever the stream holds.
 */

export const PROCESS_TABLE_CAP = 50_000;
export const LINEAGE_DEPTH = 8;
/** Images kept per pid (bash -c → su → …, exec in place). */
const IMAGES_PER_PID = 4;
/** Characters of a command line kept per entry. */
const SHOWN_MAX = 512;

export interface ProcessImage {
  process?: string;
  name?: string;
  ppid?: string;
  /** Epoch seconds of the exec. */
  t: number;
  parentGuid?: string;
}

export interface Ancestor {
  process?: string;
  name?: string;
  /** `exec`: the image this process replaced (same pid); `parent`: the parent process. */
  via: 'exec' | 'parent';
}

/**
 * A copy of s (at most SHOWN_MAX characters) that does not keep the event text it was cut from alive:
 * V8 slices share their parent string, and a table entry outlives its chunk.
 */
function detach(s: string | undefined): string | undefined {
  if (s === undefined || s.length < 13) return s; // V8 copies short slices
  return Buffer.from(s.length > SHOWN_MAX ? s.slice(0, SHOWN_MAX) : s, 'utf8').toString('utf8');
}

export class ProcessTable {
  private readonly map = new Map<string, ProcessImage[]>();

  constructor(readonly cap = PROCESS_TABLE_CAP) {}

  get size(): number {
    return this.map.size;
  }

  private touch(key: string, images: ProcessImage[]): void {
    this.map.delete(key);
    this.insert(key, images);
  }

  /** A key not in the map: no delete needed to make it the newest. */
  private insert(key: string, images: ProcessImage[]): void {
    this.map.set(key, images);
    if (this.map.size > this.cap) this.map.delete(this.map.keys().next().value as string);
  }

  /** Records that `pid` on `host` ran `img` at img.t (same exec seen twice keeps the fuller record). */
  addPid(host: string, pid: string, img: ProcessImage): void {
    const key = host + '\0' + pid; // a new (cons) string: does not keep the event text alive
    const entry: ProcessImage = {
      process: detach(img.process),
      name: detach(img.name),
      ppid: detach(img.ppid),
      t: img.t,
      parentGuid: img.parentGuid,
    };
    const images = this.map.get(key);
    if (images === undefined) {
      this.insert(key, [entry]);
      return;
    }
    let same = -1;
    for (let i = 0; i < images.length && same < 0; i++) if (images[i].t === img.t) same = i;
    if (same >= 0) images[same] = { ...images[same], ...dropUndefined(entry) };
    else {
      let i = images.length;
      while (i > 0 && images[i - 1].t > img.t) i--;
      images.splice(i, 0, entry);
      if (images.length > IMAGES_PER_PID) images.shift();
    }
    this.touch(key, images);
  }

  addGuid(host: string, guid: string, img: ProcessImage): void {
    this.touch(host + '\0g' + guid, [
      { ...img, process: detach(img.process), name: detach(img.name), parentGuid: detach(img.parentGuid) },
    ]);
  }

  /** The image `pid` ran at time t: the latest exec at or before t (strictly before when `strict`). */
  private imageAt(host: string, pid: string, t: number, strict: boolean): ProcessImage | undefined {
    const images = this.map.get(host + '\0' + pid);
    if (!images) return undefined;
    for (let i = images.length - 1; i >= 0; i--) if (strict ? images[i].t < t : images[i].t <= t) return images[i];
    return undefined;
  }

  /** Ancestors of the exec of `pid` (parent `ppid`) at time t, nearest first, at most LINEAGE_DEPTH. */
  lineage(host: string, pid: string | undefined, ppid: string | undefined, t: number): Ancestor[] {
    const out: Ancestor[] = [];
    let cur = pid;
    let curT = t;
    let curPpid = ppid;
    while (out.length < LINEAGE_DEPTH) {
      const prev = cur !== undefined ? this.imageAt(host, cur, curT, true) : undefined;
      if (prev) {
        out.push({ process: prev.process, name: prev.name, via: 'exec' });
        curT = prev.t;
        curPpid = prev.ppid ?? curPpid;
        continue;
      }
      if (curPpid === undefined || curPpid === cur) break;
      const parent = this.imageAt(host, curPpid, curT, false);
      if (!parent) break;
      out.push({ process: parent.process, name: parent.name, via: 'parent' });
      cur = curPpid;
      curT = parent.t;
      curPpid = parent.ppid;
    }
    return out;
  }

  /** Ancestors by GUID (Sysmon ProcessGuid/ParentProcessGuid), nearest first. */
  lineageByGuid(host: string, parentGuid: string): Ancestor[] {
    const out: Ancestor[] = [];
    let g: string | undefined = parentGuid;
    while (g !== undefined && out.length < LINEAGE_DEPTH) {
      const img: ProcessImage | undefined = this.map.get(host + '\0g' + g)?.[0];
      if (!img) break;
      out.push({ process: img.process, name: img.name, via: 'parent' });
      g = img.parentGuid === g ? undefined : img.parentGuid;
    }
    return out;
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  const r: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) r[k] = o[k];
  return r;
}
