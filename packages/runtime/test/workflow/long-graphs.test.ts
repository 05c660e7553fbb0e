import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  builtinNodes,
  findCycle,
  topologicalOrder,
  validateWorkflow,
  type Workflow,
  type WorkflowConnection,
} from '../../src/workflow/index.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `n${i}`);
const chainWires = (n: number): WorkflowConnection[] => Array.from({ length: n - 1 }, (_, i) => ({ from: [`n${i}`, 'audio'], to: [`n${i + 1}`, 'audio'] }));

/** audio.load -> `length` audio.gain -> audio.save, or with `loop` the gains alone with the last feeding the first. */
function gainChain(length: number, loop = false): Workflow {
  const gains = Array.from({ length }, (_, i) => ({ id: `g${i}`, type: 'audio.gain', typeVersion: 1, params: {} }));
  const connections: WorkflowConnection[] = gains.map((_, i) => ({
    from: [i === 0 ? (loop ? `g${length - 1}` : 'load') : `g${i - 1}`, 'audio'],
    to: [`g${i}`, 'audio'],
  }));
  connections.push({ from: [`g${length - 1}`, 'audio'], to: ['save', 'audio'] });
  const load = loop ? [] : [{ id: 'load', type: 'audio.load', typeVersion: 1, params: { source: 'a.wav' } }];
  return { format: 'sa3-workflow', version: 1, nodes: [...load, ...gains, { id: 'save', type: 'audio.save', typeVersion: 1, params: {} }], connections };
}

describe('graph walks on graphs far deeper than the call stack', () => {
  it('finds no loop in a chain of 200,000 nodes', () => {
    expect(findCycle(ids(200_000), chainWires(200_000))).toBeNull();
  });

  it('gives the whole loop of 200,000 nodes, in wire order from where the walk entered it', () => {
    const wires = [...chainWires(200_000), { from: ['n199999', 'audio'], to: ['n0', 'audio'] } as const];
    const cycle = findCycle(ids(200_000), wires)!;
    expect(cycle).toHaveLength(200_000);
    expect(cycle.slice(0, 3)).toEqual(['n0', 'n1', 'n2']);
    expect(cycle.at(-1)).toBe('n199999');
  });

  it('finds a loop that hangs off the end of a long chain, without the chain', () => {
    const wires = [...chainWires(100_000), { from: ['n99999', 'audio'], to: ['n99998', 'audio'] } as const];
    expect(findCycle(ids(100_000), wires)).toEqual(['n99998', 'n99999']);
  });

  it('orders a chain of 100,000 nodes listed backwards in the file', () => {
    const order = topologicalOrder(ids(100_000).reverse(), chainWires(100_000));
    expect(order).toEqual(ids(100_000));
  });
});

describe('validating large workflows', () => {
  it('finds nothing wrong with a chain of 50,000 gains', () => {
    expect(validateWorkflow(gainChain(50_000), builtinNodes)).toEqual([]);
  });

  it('names a loop of 50,000 nodes by its ends and counts the rest', () => {
    expect(validateWorkflow(gainChain(50_000, true), builtinNodes)).toEqual([
      {
        code: 'cycle',
        message:
          'the wires form a loop: g0 -> g1 -> g2 -> g3 -> g4 -> (49990 more nodes) -> g49995 -> g49996 -> g49997 -> g49998 -> g49999 -> g0; a workflow must flow one way',
        node: 'g0',
      },
    ]);
  });

  it('names every node of a short loop', () => {
    expect(validateWorkflow(gainChain(10, true), builtinNodes).map((p) => p.message)).toEqual([
      'the wires form a loop: g0 -> g1 -> g2 -> g3 -> g4 -> g5 -> g6 -> g7 -> g8 -> g9 -> g0; a workflow must flow one way',
    ]);
  });

  it('lists the first twenty nodes, not all of them, for an override of a node that does not exist', () => {
    const { problems } = applyOverrides(gainChain(50_000), [{ node: 'nope', param: 'gain_db', value: 1 }], builtinNodes);
    const listed = ['load', ...Array.from({ length: 19 }, (_, i) => `g${i}`)].join(', ');
    expect(problems.map((p) => p.message)).toEqual([`--set nope.gain_db: there is no node "nope"; nodes are ${listed} and 49982 more`]);
    const small = applyOverrides(gainChain(2), [{ node: 'nope', param: 'gain_db', value: 1 }], builtinNodes);
    expect(small.problems.map((p) => p.message)).toEqual(['--set nope.gain_db: there is no node "nope"; nodes are load, g0, g1, save']);
  });
});
