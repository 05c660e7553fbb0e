import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent, RunOptions, RunReport } from '../../src/executor/index.js';
import { RunJournal, type JournalEntry } from '../../src/server/run-journal.js';
import { RunManager, type RunBackend } from '../../src/server/run-manager.js';
import { predictionOfRun, predictionOrigin } from '../../src/server/replicate/prediction-origin.js';
import type { Workflow } from '../../src/workflow/index.js';
import { deadPid } from '../helpers/dead-pid.js';

const workflow = { format: 'sa3-workflow', version: 1, name: 'take', nodes: [], connections: [] } as unknown as Workflow;

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sa3-adoption-test-'));
  made.push(dir);
  return dir;
}

function entry(id: string, pid: number, extra: Partial<JournalEntry> = {}): JournalEntry {
  return {
    format: 'sa3-run-journal',
    version: 1,
    id,
    pid,
    instance: 'an-earlier-start',
    status: 'running',
    createdAt: '2030-01-01T00:00:00.000Z',
    startedAt: '2030-01-01T00:00:01.000Z',
    workflow,
    ...extra,
  };
}

function report(runId: string, status: RunReport['status']): RunReport {
  return {
    format: 'sa3-run-report',
    version: 1,
    runId,
    workflow: { sha256: '0'.repeat(64) },
    status,
    startedAt: '2030-01-01T00:00:01.000Z',
    finishedAt: '2030-01-01T00:00:09.000Z',
    durationMs: 8000,
    seeds: {},
    nodes: [],
    outputs: [],
    cacheHits: 0,
  };
}

const step = (runId: string, seq: number): RunEvent =>
  ({ runId, seq, time: '', type: 'node-progress', node: 'generate', phase: 'sampling', step: seq, total: 9 }) as unknown as RunEvent;

/** A queue backend whose adopted jobs have `stored` events already, then go on as the test says. */
class HeldQueue implements RunBackend {
  readonly following = new Map<string, { options: RunOptions; finish: (status: RunReport['status']) => void; detach: () => void }>();

  constructor(private readonly stored: number) {}

  run(): Promise<RunReport> {
    return Promise.reject(new Error('no new runs in this test'));
  }

  detach(): void {
    for (const job of this.following.values()) job.detach();
  }

  readonly store = new Map<string, string>();

  keep(kind: string, id: string, text: string): Promise<void> {
    this.store.set(`${kind}:${id}`, text);
    return Promise.resolve();
  }

  kept(kind: string): Promise<string[]> {
    return Promise.resolve([...this.store].filter(([key]) => key.startsWith(`${kind}:`)).map(([, text]) => text));
  }

  unkeep(kind: string, id: string): Promise<void> {
    this.store.delete(`${kind}:${id}`);
    return Promise.resolve();
  }

  adopt(_workflow: Workflow, options: RunOptions & { runId: string; onCaughtUp?: () => void }): Promise<RunReport> {
    for (let seq = 1; seq <= this.stored; seq++) options.onEvent?.(step(options.runId, seq));
    options.onCaughtUp?.();
    return new Promise((resolve, reject) => {
      this.following.set(options.runId, {
        options,
        finish: (status) => {
          options.onEvent?.({ runId: options.runId, seq: this.stored + 2, time: '', type: 'run-done', report: report(options.runId, status) });
          resolve(report(options.runId, status));
        },
        detach: () => reject(new Error('detached')),
      });
    });
  }
}

describe('a restarted server with --redis and the runs an earlier one left on the queue', () => {
  it('the journal hands back the queued runs of a dead server to follow, and reports the others (or all, without --redis) interrupted', async () => {
    const dir = scratch();
    const dead = deadPid();
    writeFileSync(join(dir, 'on-queue.json'), JSON.stringify(entry('on-queue', dead, { onQueue: true, origin: { api: 'cog', request: { id: 'p' } } })));
    writeFileSync(join(dir, 'in-process.json'), JSON.stringify(entry('in-process', dead)));
    const taken = await new RunJournal(dir).takeOver({ followQueue: true });
    expect(taken.adoptable.map((e) => [e.id, e.status, e.origin])).toEqual([['on-queue', 'running', { api: 'cog', request: { id: 'p' } }]]);
    expect(taken.interrupted.map((r) => r.entry.id)).toEqual(['in-process']);

    const without = await new RunJournal(dir).takeOver({ followQueue: false });
    expect(without.adoptable).toEqual([]);
    expect(without.interrupted.map((r) => r.entry.id).sort()).toEqual(['in-process', 'on-queue']);
  });

  it('follows an adopted run under its id: the stored events come back with their seq, later ones go on from there, and its end is recorded once', async () => {
    const dir = scratch();
    const journal = new RunJournal(join(dir, 'journal'));
    const backend = new HeldQueue(3);
    const ended: string[] = [];
    const runs = new RunManager(backend, join(dir, 'outputs'), 4, { journal, onEnded: (run) => Promise.resolve(void ended.push(`${run.id} ${run.status}`)) });
    const [run] = await runs.adopt([entry('r1', deadPid(), { onQueue: true, origin: { api: 'replicate', x: 1 } })]);
    expect(run).toBe(runs.get('r1'));
    expect(run!.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(run!.resumedAfterSeq).toBe(3);
    expect(run).toMatchObject({
      status: 'running',
      createdAt: '2030-01-01T00:00:00.000Z',
      startedAt: '2030-01-01T00:00:01.000Z',
      origin: { api: 'replicate', x: 1 },
    });
    await journal.flush();
    // The entry is this server's now: it is followed again should this one be killed too.
    const rewritten = JSON.parse(readFileSync(join(dir, 'journal', 'r1.json'), 'utf8')) as JournalEntry;
    expect(rewritten).toMatchObject({ pid: process.pid, instance: journal.instance, onQueue: true, origin: { api: 'replicate', x: 1 } });

    const listened: number[] = [];
    runs.subscribe('r1', run!.resumedAfterSeq!, (event) => listened.push(event.seq));
    backend.following.get('r1')!.options.onEvent?.(step('r1', 4));
    backend.following.get('r1')!.finish('succeeded');
    expect(await run!.done).toBe(run);
    expect(run!.status).toBe('succeeded');
    expect(listened).toEqual([4, 5]);
    expect(ended).toEqual(['r1 succeeded']);
    expect(readdirSync(join(dir, 'journal'))).toEqual([]);
  });

  it('a run that ended is kept, so the next start answers it as it ended (events, report, origin), until the history deletes it', async () => {
    const dir = scratch();
    const backend = new HeldQueue(2);
    const first = new RunManager(backend, join(dir, 'outputs'), 4);
    const [run] = await first.adopt([entry('r3', deadPid(), { onQueue: true, origin: { api: 'cog', request: { id: 'r3' } } })]);
    backend.following.get('r3')!.finish('succeeded');
    await run!.done;

    const second = new RunManager(backend, join(dir, 'outputs'), 4);
    const [kept] = await second.restoreEnded();
    expect(kept).toMatchObject({
      id: 'r3',
      status: 'succeeded',
      createdAt: run!.createdAt,
      finishedAt: run!.finishedAt,
      origin: { api: 'cog', request: { id: 'r3' } },
    });
    expect(kept!.events).toEqual(run!.events);
    expect(kept!.report).toEqual(run!.report);
    expect(await kept!.done).toBe(kept);
    expect(second.pending).toBe(0);
    // A server writing into another output folder (sharing the Redis) does not take it for its own.
    expect(await new RunManager(backend, join(dir, 'elsewhere'), 4).restoreEnded()).toEqual([]);

    await second.forgetEnded('r3');
    expect(await new RunManager(backend, join(dir, 'outputs'), 4).restoreEnded()).toEqual([]);
  });

  it('a server that stops with its runs on the queue leaves them to their jobs: not cancelled, not ended, still in its journal', async () => {
    const dir = scratch();
    const journal = new RunJournal(join(dir, 'journal'));
    const backend = new HeldQueue(1);
    const ended: string[] = [];
    const runs = new RunManager(backend, join(dir, 'outputs'), 4, { journal, onEnded: (run) => Promise.resolve(void ended.push(run.id)) });
    const [run] = await runs.adopt([entry('r2', deadPid(), { onQueue: true })]);
    runs.detachAll();
    expect(runs.cancel('r2')).toBe(run);
    expect(run!.controller.signal.aborted).toBe(false);
    await runs.settled();
    expect(run!.status).toBe('running');
    expect(run!.events.map((e) => e.type)).toEqual(['node-progress']);
    expect(ended).toEqual([]);
    expect(readdirSync(join(dir, 'journal'))).toEqual(['r2.json']);
    expect(() => runs.submit(workflow)).toThrow('the server is shutting down and takes no new runs; submit again once it has restarted');
  });

  it("a /v1 prediction's origin gives back its entry and webhook, with the run's creation time; an origin of another API gives nothing", async () => {
    const dir = scratch();
    const runs = new RunManager(new HeldQueue(0), join(dir, 'outputs'), 4);
    const origin = predictionOrigin(
      { id: 'abc', model: 'o/m', version: 'v1', input: { prompt: 'low' }, base: 'http://127.0.0.1:1' },
      { url: 'http://127.0.0.1:2/hook', events: ['completed'] },
    );
    const [run] = await runs.adopt([entry('abc', deadPid(), { onQueue: true, origin }), entry('cog', deadPid(), { onQueue: true, origin: { api: 'cog' } })]);
    expect(predictionOfRun(run!)).toEqual({
      entry: {
        id: 'abc',
        model: 'o/m',
        version: 'v1',
        input: { prompt: 'low' },
        base: 'http://127.0.0.1:1',
        createdAt: '2030-01-01T00:00:00.000Z',
        canceled: false,
      },
      webhook: { url: 'http://127.0.0.1:2/hook', events: ['completed'] },
    });
    expect(predictionOfRun(runs.get('cog')!)).toBeNull();
  });
});
