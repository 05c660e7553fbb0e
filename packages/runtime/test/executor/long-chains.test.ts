import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Executor, type RunEvent } from '../../src/executor/index.js';
import type { Workflow } from '../../src/workflow/index.js';
import { noServices, runs, testNodes } from './test-nodes.js';

/** test.source -> `length` test.append -> test.emit, the file named after the seed found at the top. */
function longChain(length: number): Workflow {
  const appends = Array.from({ length }, (_, i) => ({ id: `a${i}`, type: 'test.append', typeVersion: 1, params: { suffix: i % 1000 === 0 ? '.' : '' } }));
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'long',
    nodes: [
      { id: 'src', type: 'test.source', typeVersion: 1, params: { text: 'a', seed: 1234 } },
      ...appends,
      { id: 'out', type: 'test.emit', typeVersion: 1, params: { filename: '{seed}.{ext}' } },
    ],
    connections: [
      ...appends.map((a, i) => ({ from: [i === 0 ? 'src' : `a${i - 1}`, 'out'] as const, to: [a.id, 'in'] as const })),
      { from: [`a${length - 1}`, 'out'], to: ['out', 'in'] },
    ],
  };
}

beforeEach(() => runs.clear());

describe('a run of a long chain of quick nodes', () => {
  it('runs 20,000 nodes to the end and names the file after the seed 20,000 nodes up', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'sa3-long-'));
    const report = await new Executor({ services: noServices, nodes: testNodes }).run(longChain(20_000), { outDir });
    expect(report.status).toBe('succeeded');
    expect(report.nodes.filter((n) => n.status === 'done')).toHaveLength(20_002);
    expect(await readdir(outDir)).toEqual(['1234.txt']);
    expect(await readFile(join(outDir, '1234.txt'), 'utf8')).toBe(`a#1234${'.'.repeat(20)}`);
  });

  it('gives the event loop a turn before its first node, so other work is not held up until it ends', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'sa3-long-'));
    let turned = false;
    let turnedAtFirstNode: boolean | undefined;
    const onEvent = (event: RunEvent): void => {
      if (event.type === 'run-start') setImmediate(() => (turned = true));
      if (event.type === 'node-start' && turnedAtFirstNode === undefined) turnedAtFirstNode = turned;
    };
    await new Executor({ services: noServices, nodes: testNodes }).run(longChain(1000), { outDir, onEvent });
    expect(turnedAtFirstNode).toBe(true);
  });

  it('can be cancelled while it runs, leaving no file', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'sa3-long-'));
    const controller = new AbortController();
    let started = 0;
    const onEvent = (event: RunEvent): void => {
      // Asked for from outside the run (an HTTP request would arrive the same way): between two nodes.
      if (event.type === 'node-start' && ++started === 100) setImmediate(() => controller.abort());
    };
    const report = await new Executor({ services: noServices, nodes: testNodes }).run(longChain(20_000), { outDir, signal: controller.signal, onEvent });
    expect(report.status).toBe('cancelled');
    expect(report.nodes.filter((n) => n.status === 'done').length).toBeLessThan(200);
    expect(report.nodes.at(-1)!.status).toBe('cancelled');
    expect(await readdir(outDir)).toEqual([]);
  });
});
