import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/executor/index.js';
import { RunJournal, type JournalEntry } from '../../src/server/run-journal.js';
import { RunManager } from '../../src/server/run-manager.js';
import type { Workflow } from '../../src/workflow/index.js';
import { deadPid } from '../helpers/dead-pid.js';

const workflow = { format: 'sa3-workflow', version: 1, name: 'chord', nodes: [], connections: [] } as unknown as Workflow;

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sa3-journal-test-'));
  made.push(dir);
  return dir;
}

function entry(id: string, pid: number, status: JournalEntry['status'], extra: Partial<JournalEntry> = {}): JournalEntry {
  return {
    format: 'sa3-run-journal',
    version: 1,
    id,
    pid,
    instance: 'an-earlier-start',
    status,
    createdAt: '2030-01-01T00:00:00.000Z',
    ...(status !== 'queued' ? { startedAt: '2030-01-01T00:00:01.000Z' } : {}),
    workflow,
    ...extra,
  };
}

describe('the run journal', () => {
  it('records a run while it is in hand and forgets it when it ends', async () => {
    const dir = scratch();
    const journal = new RunJournal(dir);
    await journal.record({ id: 'r1', status: 'queued', createdAt: '2030-01-01T00:00:00.000Z', workflow });
    const written = JSON.parse(readFileSync(join(dir, 'r1.json'), 'utf8')) as JournalEntry;
    expect(written).toMatchObject({ format: 'sa3-run-journal', version: 1, id: 'r1', pid: process.pid, instance: journal.instance, status: 'queued' });
    await journal.forget('r1');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports the runs of a server that is gone as interrupted, with the reason, and keeps them so for later starts', async () => {
    const dir = scratch();
    const dead = deadPid();
    writeFileSync(join(dir, 'running-run.json'), JSON.stringify(entry('running-run', dead, 'running')));
    writeFileSync(join(dir, 'queued-run.json'), JSON.stringify(entry('queued-run', dead, 'queued')));
    writeFileSync(join(dir, `.running-run.${dead}.tmp`), '{"half');
    writeFileSync(join(dir, 'not-json.json'), '{');

    const recovered = await new RunJournal(dir).recover();
    expect(recovered.map((r) => [r.entry.id, r.entry.status])).toEqual([
      ['queued-run', 'interrupted'],
      ['running-run', 'interrupted'],
    ]);
    const running = recovered.find((r) => r.entry.id === 'running-run')!;
    expect(running.reason).toBe(
      `the server (pid ${dead}) stopped while this run was running, killed or crashed before it could finish it; nothing was written to its output folder, so run it again`,
    );
    expect(recovered.find((r) => r.entry.id === 'queued-run')!.reason).toMatch(/stopped before this run could start/);
    expect(running.report).toMatchObject({
      runId: 'running-run',
      status: 'failed',
      startedAt: '2030-01-01T00:00:01.000Z',
      outputs: [],
      error: { code: 'run_interrupted', kind: 'run', message: running.reason },
    });
    // The half-written entry of the dead server is gone; the unreadable file is left for a person to look at.
    expect(readdirSync(dir).sort()).toEqual(['not-json.json', 'queued-run.json', 'running-run.json']);

    const again = await new RunJournal(dir).recover();
    expect(again.map((r) => [r.entry.id, r.reason, r.report.finishedAt])).toEqual(recovered.map((r) => [r.entry.id, r.reason, r.report.finishedAt]));
  });

  it("leaves the runs of a server that still runs alone, and with ownPidIsPast takes this pid's entries of another start for a dead server's", async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'live-run.json'), JSON.stringify(entry('live-run', process.pid, 'running')));
    expect(await new RunJournal(dir).recover()).toEqual([]);
    const journal = new RunJournal(dir);
    await journal.record({ id: 'own-run', status: 'running', createdAt: '2030-01-01T00:00:00.000Z', workflow });
    const recovered = await journal.recover({ ownPidIsPast: true });
    expect(recovered.map((r) => r.entry.id)).toEqual(['live-run']);
  });
});

describe('the run manager with interrupted runs', () => {
  it('lists them with their reason and a final run-error event, the newest first, and takes no runs once it stops accepting', async () => {
    const dir = scratch();
    const dead = deadPid();
    writeFileSync(join(dir, 'old.json'), JSON.stringify(entry('old', dead, 'running', { createdAt: '2030-01-01T00:00:00.000Z' })));
    writeFileSync(join(dir, 'new.json'), JSON.stringify(entry('new', dead, 'queued', { createdAt: '2030-01-02T00:00:00.000Z' })));
    const journal = new RunJournal(dir);
    const runs = new RunManager({} as Executor, join(dir, 'outputs'), 4, { journal });
    runs.restore(await journal.recover());
    expect(runs.list().map((r) => [r.id, r.status])).toEqual([
      ['new', 'interrupted'],
      ['old', 'interrupted'],
    ]);
    const old = runs.get('old')!;
    expect(old.report?.error?.code).toBe('run_interrupted');
    expect(old.events).toEqual([{ runId: 'old', seq: 1, time: old.finishedAt, type: 'run-error', report: old.report }]);
    expect(runs.pending).toBe(0);
    expect(await old.done).toBe(old);
    runs.stopAccepting();
    expect(() => runs.submit(workflow)).toThrow('the server is shutting down and takes no new runs; submit again once it has restarted');
  });
});
