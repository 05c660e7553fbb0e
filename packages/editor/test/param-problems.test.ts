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

  it('shows cross-param checks beside their param, and only once every value is acceptable', () => {
    const regions = [{ start: 1, end: 8 }];
    const inpaint = node('sa3.inpaint', { regions, duration: 5 });
    expect(paramProblems(inpaint)).toEqual([{ code: 'invalid_range', message: 'must be at least the end of the last region', param: 'duration' }]);
    expect(paramProblems(node('sa3.inpaint', { regions, duration: 5, steps: 2 })).map((p) => p.code)).toEqual(['value_smaller_than_min']);
  });

  it('refuses an output name the runtime would refuse, and a param the node type does not have', () => {
    const [escape] = paramProblems(node('audio.save', { filename: '../out.wav' }));
    const { message: escapeMessage, ...escapeRest } = escape!;
    expect(escapeRest).toEqual({ code: 'output_path_escapes', param: 'filename' });
    expect(escapeMessage).toMatch(/^File name .*climbs out of the output directory/);
    const [unknown] = paramProblems(node('audio.gain', { loudness: 3 }));
    const { message: unknownMessage, ...unknownRest } = unknown!;
    expect(unknownRest).toEqual({ code: 'unknown_param' });
    expect(unknownMessage).toMatch(/^this node has no param "loudness"; its params are /);
  });

  it('asks for one of several inputs by their labels', () => {
    const save = node('audio.save', {});
    const [problem] = inputProblems(save, new Set());
    expect(problem).toEqual({ code: 'required_input_missing', message: 'wire one of: File, Audio', input: 'file' });
  });
});
