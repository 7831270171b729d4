import { SHAPES, labStream, replay, alertingGroups } from './helpers/lab-stream';

test('measure', async () => {
  const lines: string[] = [];
  for (const shape of SHAPES) {
    const ev = labStream(shape);
    const rows = await replay(ev, 200);
    expect(rows.length).toBe(ev.length);
    const groups = alertingGroups(ev, rows);
    const perStep = new Map<string, { rows: number; groups: number; nouser: number }>();
    for (const g of groups)
      for (const s of g.steps) {
        const p = perStep.get(s) ?? { rows: 0, groups: 0, nouser: 0 };
        p.groups++;
        p.rows += g.rows.length;
        p.nouser += g.rows.filter((r) => !r.user).length;
        perStep.set(s, p);
      }
    const mixed = groups.filter((g) => g.steps.size > 1).length;
    lines.push(
      `${shape}: events ${ev.length} alerting rows ${groups.reduce((a, g) => a + g.rows.length, 0)} groups ${groups.length} mixed ${mixed} ` +
        [...perStep].map(([s, p]) => `${s}:${p.rows}r/${p.groups}g/${p.nouser}nu`).join(' '),
    );
  }
  console.log(lines.join('\n'));
});
