import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Executor, type RunReport } from '../../src/executor/index.js';
import { finalNodeStatus } from '../../src/executor/node-status.js';
import { noServices, runs, testNodes } from './test-nodes.js';

/** src feeds two branches, `left` and `right`, each saved by its own output node. */
function branches(left: string, right: string) {
  const append = (id: string, behaviour: string) => ({ id, type: 'test.append', typeVersion: 1, params: { suffix: id, behaviour } });
  const save = (id: string) => ({ id, type: 'test.emit', typeVersion: 1, params: { filename: '{node}.{ext}' } });
  return {
    format: 'sa3-workflow' as const,
    version: 1 as const,
    name: 'branches',
    nodes: [
      { id: 'src', type: 'test.source', typeVersion: 1, params: { text: 'a' } },
      append('left', left),
      append('right', right),
      save('saveLeft'),
      save('saveRight'),
    ],
    connections: [
      { from: ['src', 'out'] as const, to: ['left', 'in'] as const },
      { from: ['src', 'out'] as const, to: ['right', 'in'] as const },
      { from: ['left', 'out'] as const, to: ['saveLeft', 'in'] as const },
      { from: ['right', 'out'] as const, to: ['saveRight', 'in'] as const },
    ],
  };
}

function statuses(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.nodes.map((n) => [n.id, n.status]));
}

beforeEach(() => runs.clear());

describe('finalNodeStatus', () => {
  it('maps how a node ended to its state, the run having failed or not', () => {
    for (const runHasFailed of [false, true]) {
      expect(finalNodeStatus('ran', runHasFailed)).toBe('done');
      expect(finalNodeStatus('cached', runHasFailed)).toBe('cached');
      expect(finalNodeStatus('threw', runHasFailed)).toBe('failed');
      expect(finalNodeStatus('input-missing', runHasFailed)).toBe('skipped');
    }
  });

  it('calls a stopped node cancelled, or skipped once another node has failed', () => {
    expect(finalNodeStatus('stopped', false)).toBe('cancelled');
    expect(finalNodeStatus('stopped', true)).toBe('skipped');
  });
});

describe('node states in a run', () => {
  it('a failing branch stops the other one: the failed node is failed, everything it stopped skipped', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'sa3-states-'));
    const report = await new Executor({ services: noServices, nodes: testNodes }).run(branches('wait', 'fail'), { outDir });
    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ code: 'test_failure', node: 'right' });
    expect(statuses(report)).toEqual({ src: 'done', left: 'skipped', right: 'failed', saveLeft: 'skipped', saveRight: 'skipped' });
    expect(await readdir(outDir)).toEqual([]);
  });

  it('a cancelled run cancels the running branches and what waits for them', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'sa3-states-'));
    const controller = new AbortController();
    const report = await new Executor({ services: noServices, nodes: testNodes }).run(branches('wait', 'wait'), {
      outDir,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'node-progress' && e.node === 'right' && e.step === 3) controller.abort();
      },
    });
    expect(report.status).toBe('cancelled');
    expect(report.error).toBeUndefined();
    expect(statuses(report)).toEqual({ src: 'done', left: 'cancelled', right: 'cancelled', saveLeft: 'cancelled', saveRight: 'cancelled' });
    expect(await readdir(outDir)).toEqual([]);
  });

  it('a run cancelled before it starts runs nothing and cancels every node', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'sa3-states-'));
    const report = await new Executor({ services: noServices, nodes: testNodes }).run(branches('ok', 'ok'), { outDir, signal: AbortSignal.abort() });
    expect(report.status).toBe('cancelled');
    expect(new Set(Object.values(statuses(report)))).toEqual(new Set(['cancelled']));
    expect(runs.size).toBe(0);
  });
});
