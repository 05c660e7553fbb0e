import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/executor/index.js';
import { RunStore, runsMaxBytesFromEnv, type RunToStore } from '../../src/runs/index.js';
import type { Workflow } from '../../src/workflow/index.js';

const made: string[] = [];
const stores: RunStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sa3-run-store-test-'));
  made.push(dir);
  return dir;
}
async function open(dir: string, maxBytes = 1024 * 1024 * 1024): Promise<RunStore> {
  const store = await RunStore.open(dir, { maxBytes });
  stores.push(store);
  return store;
}

const workflow: Workflow = {
  format: 'sa3-workflow',
  version: 1,
  name: 'night drive/mix',
  nodes: [
    { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'warm pad' } },
    { id: 'gen', type: 'sa3.generate', typeVersion: 1, params: { seed: -1 } },
    { id: 'save', type: 'audio.save', typeVersion: 1, params: {} },
  ],
  connections: [
    { from: ['prompt', 'conditioning'], to: ['gen', 'prompt'] },
    { from: ['gen', 'audio'], to: ['save', 'audio'] },
  ],
};

/** A finished run whose one output is `bytes` bytes written under `outDir`. */
function finishedRun(id: string, createdAt: string, outDir: string, bytes = 1000, seed = 42): RunToStore {
  const data = Buffer.alloc(bytes, id.charCodeAt(0));
  mkdirSync(outDir, { recursive: true });
  const absolutePath = join(outDir, `${id}.wav`);
  writeFileSync(absolutePath, data);
  const report: RunReport = {
    format: 'sa3-run-report',
    version: 1,
    runId: id,
    workflow: { name: workflow.name!, sha256: 'x' },
    status: 'succeeded',
    startedAt: createdAt,
    finishedAt: createdAt,
    durationMs: 1500,
    seeds: { gen: { seed } },
    nodes: [],
    outputs: [{ node: 'save', path: `${id}.wav`, absolutePath, bytes, sha256: createHash('sha256').update(data).digest('hex'), mime: 'audio/wav' }],
    cacheHits: 0,
  };
  const { absolutePath: _dropped, ...served } = report.outputs[0]!;
  return { id, workflow, createdAt, status: 'succeeded', report, servedReport: { ...report, outputs: [served] } };
}

describe('run store', () => {
  it('pages newest first with a cursor, ties on the creation time ordered by id', async () => {
    const dir = scratch();
    const store = await open(join(dir, 'runs'));
    const out = join(dir, 'out');
    const times = ['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z', '2026-01-01T00:00:04.000Z'];
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const [i, id] of ids.entries()) expect((await store.put(finishedRun(id, times[i]!, out))).stored).toBe(true);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = (await store.list({ limit: 2, ...(cursor ? { cursor } : {}) }))!;
      seen.push(...page.entries.map((e) => e.row.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(pages).toBe(3);
    expect(await store.list({ limit: 2, cursor: 'not-a-cursor' })).toBeNull();
  });

  it('keeps the seeds, prompts and a sanitized download name {workflow}-{node}-{seed}.{ext}, with the output copied byte for byte', async () => {
    const dir = scratch();
    const store = await open(join(dir, 'runs'));
    const run = finishedRun('r1', '2026-01-01T00:00:00.000Z', join(dir, 'out'), 4096, 77);
    await store.put(run);
    const entry = (await store.get('r1'))!;
    expect(entry.problem).toBeUndefined();
    expect(entry.run!.prompts).toEqual(['warm pad']);
    expect(entry.run!.seeds).toEqual({ gen: { seed: 77 } });
    expect(entry.run!.outputs[0]!.fileName).toBe('night_drive_mix-save-77.wav');
    expect(entry.row.bytes).toBeGreaterThan(4096);
    const stored = store.outputPath(entry, 'r1.wav')!;
    expect(createHash('sha256').update(readFileSync(stored)).digest('hex')).toBe(run.report!.outputs[0]!.sha256);
    expect(store.outputPath(entry, '../../etc/passwd')).toBeUndefined();
  });

  it('retention removes the oldest unpinned runs first and never a pinned one', async () => {
    const dir = scratch();
    const out = join(dir, 'out');
    // Room for three runs of ~10 kB with their records, not four.
    const store = await open(join(dir, 'runs'), 35_000);
    await store.put(finishedRun('a', '2026-01-01T00:00:01.000Z', out, 10_000));
    expect(store.pin('a', true)).toBe(true);
    await store.put(finishedRun('b', '2026-01-01T00:00:02.000Z', out, 10_000));
    await store.put(finishedRun('c', '2026-01-01T00:00:03.000Z', out, 10_000));
    const outcome = await store.put(finishedRun('d', '2026-01-01T00:00:04.000Z', out, 10_000));
    expect(outcome).toEqual({ stored: true, removed: ['b'] });
    expect((await store.list({ limit: 10 }))!.entries.map((e) => e.row.id)).toEqual(['d', 'c', 'a']);
    expect(existsSync(join(dir, 'runs', 'b'))).toBe(false);
    expect(existsSync(join(dir, 'runs', 'a', 'outputs', 'a.wav'))).toBe(true);
  });

  it('a store whose index is lost indexes its run folders again on open', async () => {
    const dir = scratch();
    const runs = join(dir, 'runs');
    const first = await open(runs);
    await first.put(finishedRun('x1', '2026-01-01T00:00:01.000Z', join(dir, 'out')));
    await first.put(finishedRun('x2', '2026-01-01T00:00:02.000Z', join(dir, 'out')));
    stores.pop()!.close();
    for (const name of readdirSync(runs)) if (name.startsWith('index.sqlite')) rmSync(join(runs, name));
    const again = await open(runs);
    expect((await again.list({ limit: 10 }))!.entries.map((e) => [e.row.id, e.run?.status])).toEqual([
      ['x2', 'succeeded'],
      ['x1', 'succeeded'],
    ]);
  });

  it('an index SQLite cannot read is set aside and rebuilt from the run folders, said in one sentence', async () => {
    const dir = scratch();
    const runs = join(dir, 'runs');
    const first = await open(runs);
    await first.put(finishedRun('y1', '2026-01-01T00:00:01.000Z', join(dir, 'out')));
    expect(first.pin('y1', true)).toBe(true);
    stores.pop()!.close();
    for (const name of readdirSync(runs)) if (name.startsWith('index.sqlite-')) rmSync(join(runs, name));
    writeFileSync(join(runs, 'index.sqlite'), 'this is not a database, it only has the name of one');
    const again = await open(runs);
    const aside = readdirSync(runs).filter((name) => name.startsWith('index.sqlite.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(again.notice).toBe(
      `the run store's index ${join(runs, 'index.sqlite')} could not be read (file is not a database); it was set aside as ${join(runs, aside[0]!)} and rebuilt from the run folders, so pins must be set again`,
    );
    const [entry] = (await again.list({ limit: 10 }))!.entries;
    expect([entry!.row.id, entry!.row.pinned, entry!.run?.status]).toEqual(['y1', false, 'succeeded']);
  });

  it('a store folder that cannot be made is refused in one sentence', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'home'), 'a file where SA3_HOME should be a folder');
    await expect(RunStore.open(join(dir, 'home', 'runs'), { maxBytes: 1 })).rejects.toThrow(
      new Error(
        `cannot create the run store folder ${join(dir, 'home', 'runs')}: a part of the path is a file, not a folder; set SA3_HOME to a folder this user may write`,
      ),
    );
  });

  it('SA3_RUNS_MAX_MB sets the limit; unset or unreadable means 2048 MB', () => {
    expect(runsMaxBytesFromEnv({ SA3_RUNS_MAX_MB: '0.5' })).toBe(524_288);
    expect(runsMaxBytesFromEnv({})).toBe(2048 * 1024 * 1024);
    expect(runsMaxBytesFromEnv({ SA3_RUNS_MAX_MB: 'lots' })).toBe(2048 * 1024 * 1024);
  });
});
