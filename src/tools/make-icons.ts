#!/usr/bin/env node
/**
 * Regenerates app/static/appIcon.png (36x36) and appIcon_2x.png (72x72): a container (stacked boxes)
 * on a blue rounded square. Deterministic; the PNGs are committed. `npx tsx`-free: build with
 * `npm run build:tools` and run `node build/make-icons.js`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { encodePng } from '../packaging/png';

export function drawIcon(size: number): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const s = size / 36;
  const r = 6 * s;
  const set = (x: number, y: number, c: [number, number, number, number]) => px.set(c, (y * size + x) * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const cx = Math.min(Math.max(x + 0.5, r), size - r);
      const cy = Math.min(Math.max(y + 0.5, r), size - r);
      const inside = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r;
      if (!inside) continue;
      const t = y / size;
      set(x, y, [Math.round(20 + 20 * t), Math.round(95 - 35 * t), Math.round(170 - 40 * t), 255]);
    }
  }
  // Three stacked "container" boxes (white) with a dark slot each.
  const boxes = [
    [8, 8, 20, 6],
    [6, 16, 24, 6],
    [8, 24, 20, 6],
  ];
  for (const [bx, by, bw, bh] of boxes) {
    for (let y = Math.round(by * s); y < Math.round((by + bh) * s); y++) {
      for (let x = Math.round(bx * s); x < Math.round((bx + bw) * s); x++) set(x, y, [245, 248, 252, 255]);
    }
    for (let y = Math.round((by + 2) * s); y < Math.round((by + bh - 2) * s); y++) {
      for (let x = Math.round((bx + 3) * s); x < Math.round((bx + bw - 3) * s); x += Math.max(1, Math.round(3 * s))) {
        for (let w = 0; w < Math.max(1, Math.round(s)); w++) set(x + w, y, [30, 70, 130, 255]);
      }
    }
  }
  return px;
}

if (require.main === module) {
  const dir = path.resolve(__dirname, '..', 'app', 'static');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, size] of [
    ['appIcon.png', 36],
    ['appIcon_2x.png', 72],
  ] as const) {
    const out = path.join(dir, name);
    fs.writeFileSync(out, encodePng(size, size, drawIcon(size)));
    process.stderr.write(`make-icons: wrote ${path.relative(process.cwd(), out)} (${size}x${size})\n`);
  }
}
