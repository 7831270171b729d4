/** docs/detection.md carries the lab-step table as the model produces it (regenerate: see the doc). */
import * as fs from 'fs';
import * as path from 'path';
import { renderLabTable } from './helpers/lab-table';

it('docs/detection.md lab table matches the model output', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'detection.md'), 'utf8');
  const table = renderLabTable();
  if (process.env.PRINT_LAB_TABLE) console.log(table);
  expect(doc).toContain(table);
});
