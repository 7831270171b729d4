import { LINEAGE_DEPTH, ProcessTable } from '../../src/pipeline/process-table';

describe('ProcessTable', () => {
  test('lab t1 chain: docker ← sudo ← (exec in place) bash -c ← su ← (exec in place) bash -c, nearest first', () => {
    const t = new ProcessTable();
    // pids and times as in the lab's auditd records of step t1
    t.addPid('vm', '14716', { process: "bash -c su labuser -c '…'", name: 'bash', ppid: '14707', t: 10.784 });
    t.addPid('vm', '14716', { process: 'su labuser -c …', name: 'su', ppid: '14707', t: 10.788 });
    t.addPid('vm', '14722', {
      process: 'bash -c cd /tmp && sudo docker build …',
      name: 'bash',
      ppid: '14716',
      t: 10.82,
    });
    t.addPid('vm', '14722', { process: 'sudo docker build …', name: 'sudo', ppid: '14716', t: 10.83 });
    t.addPid('vm', '14725', { process: 'docker build …', name: 'docker', ppid: '14722', t: 10.85 });
    expect(t.lineage('vm', '14725', '14722', 10.85)).toEqual([
      { process: 'sudo docker build …', name: 'sudo', via: 'parent' },
      { process: 'bash -c cd /tmp && sudo docker build …', name: 'bash', via: 'exec' },
      { process: 'su labuser -c …', name: 'su', via: 'parent' },
      { process: "bash -c su labuser -c '…'", name: 'bash', via: 'exec' },
    ]);
    // the parent's image at the child's time: a later exec of the parent pid is not the parent
    t.addPid('vm', '14722', { process: 'later', name: 'later', ppid: '14716', t: 99 });
    expect(t.lineage('vm', '14725', '14722', 10.85)[0].process).toBe('sudo docker build …');
    // other host: nothing
    expect(t.lineage('other', '14725', '14722', 10.85)).toEqual([]);
  });

  test('evicts the least recently written entry past the cap', () => {
    const t = new ProcessTable(3);
    for (const pid of ['1', '2', '3']) t.addPid('h', pid, { process: `p${pid}`, ppid: '0', t: 1 });
    t.addPid('h', '1', { process: 'p1 again', ppid: '0', t: 2 }); // 1 is now the newest
    t.addPid('h', '4', { process: 'p4', ppid: '0', t: 3 });
    expect(t.size).toBe(3);
    expect(t.lineage('h', 'x', '2', 5)).toEqual([]); // 2 was the oldest: evicted
    expect(t.lineage('h', 'x', '3', 5)).toEqual([{ process: 'p3', name: undefined, via: 'parent' }]);
    expect(t.lineage('h', 'x', '1', 5)[0].process).toBe('p1 again');
  });

  test('50,000 entries at most by default, whatever the stream holds', () => {
    const t = new ProcessTable();
    for (let i = 0; i < 60_000; i++) t.addPid('h', String(i), { process: 'x', ppid: String(i - 1), t: i });
    expect(t.size).toBe(50_000);
    expect(t.lineage('h', 'y', '9999', 1e9)).toEqual([]);
    // a long chain stops at the depth cap
    expect(t.lineage('h', 'y', '59999', 1e9).length).toBe(LINEAGE_DEPTH);
  });

  test('a pid that is its own parent does not loop', () => {
    const t = new ProcessTable();
    t.addPid('h', '1', { process: 'init', ppid: '1', t: 0 });
    expect(t.lineage('h', '2', '1', 5)).toEqual([{ process: 'init', name: undefined, via: 'parent' }]);
  });

  test('GUID chains (Sysmon ProcessGuid/ParentProcessGuid)', () => {
    const t = new ProcessTable();
    t.addGuid('w', '{a}', { process: 'explorer.exe', t: 0 });
    t.addGuid('w', '{b}', { process: 'cmd /c build.bat', parentGuid: '{a}', t: 0 });
    expect(t.lineageByGuid('w', '{b}').map((a) => a.process)).toEqual(['cmd /c build.bat', 'explorer.exe']);
  });
});
