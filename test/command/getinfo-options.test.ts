/**
 * Options that change where and how splunkd runs the command, through the built bundle:
 * `distributed=` (getinfo `type`) and `report_runtime=` (t1612_runtime on every row).
 */
import { parseTable } from '../../src/scp/csv';
import { executeFrame, getinfoFrame, runBundle } from '../helpers/scp';

const EVENTS = 'sourcetype,_raw\nsyslog,docker build -t x /tmp/x\nsyslog,hello\n';

describe('distributed= sets the getinfo type', () => {
  test.each([
    ['no option: distributable streaming', [], 'streaming'],
    ['distributed=false: search head only', ['distributed=false'], 'stateful'],
    ['distributed=f (splunklib truth value)', ['distributed=f'], 'stateful'],
    ['distributed=true', ['distributed=true'], 'streaming'],
    ['distributed=false with mode=seed', ['mode=seed', 'distributed=false'], 'stateful'],
  ])('%s', async (_name, args, type) => {
    const r = await runBundle([getinfoFrame(args), executeFrame(EVENTS, true)], { timeoutMs: 10000 });
    expect(r.code).toBe(0);
    expect(r.replies).toHaveLength(2);
    expect(r.replies[0].metadata).toEqual({ type });
    expect(parseTable(r.replies[1].body).rows).toHaveLength(2);
  });

  test('distributed=maybe: one ERROR reply, default type', async () => {
    const r = await runBundle([getinfoFrame(['distributed=maybe'])], { closeStdin: false, timeoutMs: 10000 });
    expect(r.code).not.toBe(0);
    expect(r.replies).toHaveLength(1);
    expect(r.replies[0].metadata.type).toBe('streaming');
    const messages = (r.replies[0].metadata.inspector as { messages: [string, string][] }).messages;
    expect(messages).toEqual([
      ['ERROR', expect.stringMatching(/invalid value "maybe" for distributed: not a boolean/) as string],
    ]);
  });
});

describe('report_runtime=true stamps t1612_runtime on every row', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv) =>
    runBundle([getinfoFrame(args), executeFrame(EVENTS, true)], { timeoutMs: 10000, env });
  const column = (body: Buffer, name: string) => {
    const t = parseTable(body);
    const i = t.fields.indexOf(name);
    return i < 0 ? undefined : t.rows.map((row) => row[i]);
  };

  test('the label the launcher exported', async () => {
    const env = { ...process.env, T1612_RUNTIME_LABEL: 'sea-linux-x64 node v22.12.0' };
    const r = await run(['report_runtime=true'], env);
    expect(r.code).toBe(0);
    expect(column(r.replies[1].body, 't1612_runtime')).toEqual([
      'sea-linux-x64 node v22.12.0',
      'sea-linux-x64 node v22.12.0',
    ]);
  });

  test('no label from the launcher: the Node that runs it', async () => {
    const env = { ...process.env };
    delete env.T1612_RUNTIME_LABEL;
    const r = await run(['report_runtime=true', 'min_score=0'], env);
    const want = `node ${process.version} (${process.execPath.split('/').pop()})`;
    expect(column(r.replies[1].body, 't1612_runtime')).toEqual([want, want]);
  });

  test('without the option there is no t1612_runtime column', async () => {
    const r = await run([], { ...process.env, T1612_RUNTIME_LABEL: 'x' });
    expect(column(r.replies[1].body, 't1612_runtime')).toBeUndefined();
  });
});
