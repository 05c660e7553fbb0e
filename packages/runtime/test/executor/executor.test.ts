import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Executor, type RunEvent } from '../../src/executor/index.js';
import { sha256Hex } from '../../src/files/index.js';
import { WorkflowInvalidError } from '../../src/workflow/index.js';
import { chain, noServices, runs, testNodes } from './test-nodes.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sa3-exec-'));
}

function executor(): Executor {
  return new Executor({ services: noServices, nodes: testNodes });
}

beforeEach(() => runs.clear());

describe('Executor', () => {
  it('runs nodes in dependency order and writes the output with its sha256 in the report', async () => {
    const outDir = await tempDir();
    const events: RunEvent[] = [];
    const report = await executor().run(chain(), { outDir, onEvent: (e) => events.push(e) });
    expect(report.status).toBe('succeeded');
    expect(await readFile(join(outDir, 'out.txt'), 'utf8')).toBe('a#7bc');
    expect(report.outputs).toEqual([expect.objectContaining({ node: 'out', path: 'out.txt', bytes: 5, sha256: sha256Hex('a#7bc') })]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const order = events.filter((e) => e.type === 'node-done').map((e) => (e as { node: string }).node);
    expect(order).toEqual(['src', 'mid', 'end', 'out']);
    const progress = events.filter((e) => e.type === 'node-progress' && e.node === 'mid').map((e) => (e as { step: number }).step);
    expect(progress).toEqual([1, 2, 3]);
    expect(events.at(-1)?.type).toBe('run-done');
    expect(await readdir(outDir)).toEqual(['out.txt']);
  });

  it('re-runs only the changed node and what follows it', async () => {
    const exec = executor();
    const outDir = await tempDir();
    await exec.run(chain({ suffix: 'c' }), { outDir });
    runs.clear();
    const report = await exec.run(chain({ suffix: 'C' }), { outDir });
    expect(Object.fromEntries(report.nodes.map((n) => [n.id, n.status]))).toEqual({ src: 'cached', mid: 'cached', end: 'done', out: 'done' });
    expect([...runs.keys()].sort()).toEqual(['end', 'out']);
    expect(report.cacheHits).toBe(2);
    expect(await readFile(join(outDir, 'out-1.txt'), 'utf8')).toBe('a#7bC');
    expect(await readFile(join(outDir, 'out.txt'), 'utf8')).toBe('a#7bc');
  });

  it('resolves seed -1 at run start, records it, and never reuses the cache for it', async () => {
    const exec = executor();
    const outDir = await tempDir();
    const first = await exec.run(chain({ seed: -1 }), { outDir, drawSeed: () => 1234 });
    expect(first.seeds).toEqual({ src: { seed: 1234 } });
    expect(await readFile(join(outDir, 'out.txt'), 'utf8')).toBe('a#1234bc');
    const second = await exec.run(chain({ seed: -1 }), { outDir, drawSeed: () => 99 });
    expect(second.nodes.find((n) => n.id === 'src')?.status).toBe('done');
    const replay = await exec.run(chain({ seed: 1234 }), { outDir });
    expect(replay.nodes.find((n) => n.id === 'src')?.status).toBe('cached');
  });

  it('puts the seed into file names', async () => {
    const outDir = await tempDir();
    await executor().run(chain({ seed: 42, filename: 'take-{seed}.{ext}' }), { outDir });
    expect(await readdir(outDir)).toEqual(['take-42.txt']);
  });

  it('stops at a failing node, names it and its param, and writes nothing', async () => {
    const outDir = await tempDir();
    const events: RunEvent[] = [];
    const report = await executor().run(chain({ behaviour: 'fail' }), { outDir, onEvent: (e) => events.push(e) });
    expect(report.status).toBe('failed');
    expect(report.error).toEqual({ code: 'test_failure', message: 'failed on purpose', node: 'end', param: 'behaviour', kind: 'run' });
    expect(report.nodes.find((n) => n.id === 'out')?.status).toBe('skipped');
    expect(events.at(-1)?.type).toBe('run-error');
    expect(await readdir(outDir)).toEqual([]);
  });

  it('cancels through an AbortSignal mid-run and leaves no output', async () => {
    const outDir = await tempDir();
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const report = await executor().run(chain({ behaviour: 'wait' }), {
      outDir,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'node-progress' && e.node === 'end' && e.step === 3) controller.abort();
      },
    });
    expect(report.status).toBe('cancelled');
    expect(report.nodes.map((n) => n.status)).toEqual(['done', 'done', 'cancelled', 'cancelled']);
    expect(events.at(-1)?.type).toBe('run-cancelled');
    expect(await readdir(outDir)).toEqual([]);
  });

  it('ends a cancelled run even when a node ignores its signal', async () => {
    const outDir = await tempDir();
    const controller = new AbortController();
    const report = await executor().run(chain({ behaviour: 'hang' }), {
      outDir,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'node-progress' && e.node === 'end' && e.step === 3) setTimeout(() => controller.abort(), 5);
      },
    });
    expect(report.status).toBe('cancelled');
    expect(await readdir(outDir)).toEqual([]);
  });

  it('never overwrites a file that is already there', async () => {
    const outDir = await tempDir();
    await writeFile(join(outDir, 'out.txt'), 'precious');
    const report = await executor().run(chain(), { outDir });
    expect(await readFile(join(outDir, 'out.txt'), 'utf8')).toBe('precious');
    expect(report.outputs[0]?.path).toBe('out-1.txt');
  });

  it('refuses an invalid workflow before running anything', async () => {
    const w = chain();
    const bad = { ...w, connections: w.connections.slice(1) };
    await expect(executor().run(bad, { outDir: await tempDir() })).rejects.toBeInstanceOf(WorkflowInvalidError);
    expect(runs.size).toBe(0);
  });
});
