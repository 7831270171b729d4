/**
 * Splunk multivalue encoding in SCP v2 bodies (docs/protocol.md §4, splunklib internals.py):
 * column `F` holds the values joined by `\n`; column `__mv_F` holds `$v1$;$v2$` with `$` doubled
 * inside values. One value: `F` = value, `__mv_F` empty.
 */

export const MV_PREFIX = '__mv_';

export function mvColumn(field: string): string {
  return MV_PREFIX + field;
}

// splunklib's decoder: \$(?P<item>(?:\$\$|[^$])*)\$(?:;|$)
const MV_ITEM = /\$((?:\$\$|[^$])*)\$(?:;|$)/g;

export function decodeMv(encoded: string): string[] {
  const out: string[] = [];
  MV_ITEM.lastIndex = 0;
  for (let m = MV_ITEM.exec(encoded); m; m = MV_ITEM.exec(encoded)) {
    out.push(m[1].replace(/\$\$/g, '$'));
    if (m[0].length === 0) MV_ITEM.lastIndex++;
  }
  return out;
}

export function encodeMv(values: readonly string[]): string {
  return values.map((v) => '$' + v.replace(/\$/g, '$$$$') + '$').join(';');
}

/** The pair of column values for a list: [plain, __mv_]. */
export function mvPair(values: readonly string[]): [string, string] {
  if (values.length === 0) return ['', ''];
  if (values.length === 1) return [values[0], ''];
  return [values.join('\n'), encodeMv(values)];
}
