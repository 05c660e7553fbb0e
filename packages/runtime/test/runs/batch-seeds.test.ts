import { describe, expect, it } from 'vitest';
import { batchWorkflows, SEED_MAX, type Workflow } from '@sa3/nodes';

function workflow(seeds: { gen: number; inpaint: number }, seedControl?: Record<string, Record<string, string>>): Workflow {
  return {
    format: 'sa3-workflow',
    version: 1,
    nodes: [
      { id: 'gen', type: 'sa3.generate', typeVersion: 1, params: { seed: seeds.gen } },
      { id: 'inpaint', type: 'sa3.inpaint', typeVersion: 1, params: { seed: seeds.inpaint } },
    ],
    connections: [],
    ...(seedControl ? { meta: { seedControl } } : {}),
  };
}

const seedsOf = (takes: Workflow[], node: string): unknown[] => takes.map((w) => w.nodes.find((n) => n.id === node)!.params.seed);

describe('batch seeds (the rule the server and sa3 run --repeat share)', () => {
  it('increment steps from the given seed and wraps past the largest seed to 0; fixed keeps its seed', () => {
    const takes = batchWorkflows(workflow({ gen: SEED_MAX - 1, inpaint: 9 }, { gen: { seed: 'increment' } }), 4);
    expect(seedsOf(takes, 'gen')).toEqual([SEED_MAX - 1, SEED_MAX, 0, 1]);
    expect(seedsOf(takes, 'inpaint')).toEqual([9, 9, 9, 9]);
  });

  it('randomize keeps the first take and draws a seed different from the one before for each next take', () => {
    const draws = [5, 5, 8, 8, 8, 3];
    const takes = batchWorkflows(workflow({ gen: 5, inpaint: 1 }, { gen: { seed: 'randomize' }, inpaint: { seed: 'fixed' } }), 3, () => draws.shift()!);
    expect(seedsOf(takes, 'gen')).toEqual([5, 8, 3]);
    expect(seedsOf(takes, 'inpaint')).toEqual([1, 1, 1]);
  });

  it('a seed of -1 stays -1 under every control, so each take draws its own at run start; a count of 1 is the workflow itself', () => {
    const given = workflow({ gen: -1, inpaint: -1 }, { gen: { seed: 'increment' }, inpaint: { seed: 'randomize' } });
    const takes = batchWorkflows(given, 3, () => 1);
    expect(seedsOf(takes, 'gen')).toEqual([-1, -1, -1]);
    expect(seedsOf(takes, 'inpaint')).toEqual([-1, -1, -1]);
    expect(batchWorkflows(given, 1)).toEqual([given]);
  });
});
