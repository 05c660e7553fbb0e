import { describe, expect, it } from 'vitest';
import { getNodeDefinition } from '@sa3/nodes';
import { Sa3Node } from '../src/plugin/sa3-node.js';
import { inputProblems, paramProblems } from '../src/plugin/param-problems.js';

function node(type: string, params: Record<string, unknown>): Sa3Node {
  return new Sa3Node('n', type, 1, params, getNodeDefinition(type));
}

describe('problems shown on a node before running', () => {
  it('names the param that is out of range, with the same words as the runtime', () => {
    const problems = paramProblems(node('sa3.generate', { duration: 500 }));
    expect(problems).toEqual([{ code: 'value_bigger_than_max', message: 'Duration is 500, above the maximum 380 s', param: 'duration' }]);
  });

  it('accepts defaults and reports required inputs that are not wired', () => {
    const generate = node('sa3.generate', {});
    expect(paramProblems(generate)).toEqual([]);
    expect(inputProblems(generate, new Set()).map((p) => p.input)).toEqual(['prompt']);
    expect(inputProblems(node('audio.save', {}), new Set(['audio']))).toEqual([]);
  });

  it('marks unknown node types', () => {
    expect(paramProblems(new Sa3Node('x', 'vendor.fx', 1, {}, undefined))[0]!.code).toBe('unknown_node_type');
  });
});
