import { describe, expect, it } from 'vitest';
import {
  firstTooDeep,
  getNodeDefinition,
  MAX_DATA_URI_CHARS,
  MAX_TEXT_PARAM_CHARS,
  MAX_WORKFLOW_CONNECTIONS,
  oversizedParamProblems,
  parseWorkflow,
  type WorkflowNode,
} from '../src/index.js';

describe('firstTooDeep', () => {
  it('finds the bracket that goes one level too deep, with its line and column', () => {
    const text = `{\n  "a": ${'['.repeat(100_000)}${']'.repeat(100_000)}\n}`;
    expect(firstTooDeep(text, 64)).toEqual({ offset: 9 + 63, line: 2, column: 8 + 63 });
  });

  it('accepts nesting exactly at the limit', () => {
    expect(firstTooDeep('['.repeat(64) + ']'.repeat(64), 64)).toBeNull();
    expect(firstTooDeep('['.repeat(65) + ']'.repeat(65), 64)).toEqual({ offset: 64, line: 1, column: 65 });
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const inside = JSON.stringify({ a: `"${'['.repeat(1000)}\\"{{{`, b: '\\', c: ['[', '{'] });
    expect(firstTooDeep(inside, 2)).toBeNull();
    // After a string ending in an escaped backslash, the brackets count again.
    expect(firstTooDeep('["\\\\", [[', 2)).toEqual({ offset: 8, line: 1, column: 9 });
  });

  it('gives up quietly on a string that never closes, leaving the syntax error to the parser', () => {
    expect(firstTooDeep(`["${'['.repeat(100)}`, 2)).toBeNull();
  });
});

describe('parseWorkflow on hostile files', () => {
  const base = { format: 'sa3-workflow', version: 1, nodes: [{ id: 'a', type: 'audio.gain', typeVersion: 1 }] };

  it('places each of 20,000 duplicate keys on its own line', () => {
    const lines = Array.from({ length: 20_000 }, () => '  "k": 1');
    const text = `{"format": "sa3-workflow", "version": 1, "nodes": [], "meta": {\n${lines.join(',\n')}\n}}`;
    const problems = parseWorkflow(text).problems;
    expect(problems).toHaveLength(19_999);
    expect(problems[0]!.message).toBe('the key "k" appears twice in one object (the second at line 3, column 3); give each key once');
    expect(problems.at(-1)!.message).toBe('the key "k" appears twice in one object (the second at line 20001, column 3); give each key once');
  });

  it('refuses more wires than a workflow can use, in one sentence, without reading them', () => {
    const wire = { from: ['a', 'audio'], to: ['a', 'audio'] };
    const text = JSON.stringify({ ...base, connections: Array.from({ length: MAX_WORKFLOW_CONNECTIONS + 1 }, () => wire) });
    expect(parseWorkflow(text)).toEqual({
      workflow: null,
      problems: [
        {
          code: 'too_many_connections',
          message: `the workflow has ${MAX_WORKFLOW_CONNECTIONS + 1} wires; sa3 runs workflows of at most ${MAX_WORKFLOW_CONNECTIONS}`,
          path: '/connections',
        },
      ],
    });
  });

  it('reads as many wires as the limit', () => {
    const wire = { from: ['a', 'audio'], to: ['a', 'audio'] };
    const { workflow, problems } = parseWorkflow(JSON.stringify({ ...base, connections: Array.from({ length: MAX_WORKFLOW_CONNECTIONS }, () => wire) }));
    expect(problems).toEqual([]);
    expect(workflow!.connections).toHaveLength(MAX_WORKFLOW_CONNECTIONS);
  });
});

describe('oversizedParamProblems', () => {
  const prompt = getNodeDefinition('sa3.prompt')!;
  const load = getNodeDefinition('audio.load')!;
  const node = (id: string, type: string, params: Record<string, unknown>): WorkflowNode => ({ id, type, typeVersion: 1, params });

  it('refuses a prompt one character longer than the limit, and takes one at it', () => {
    expect(oversizedParamProblems(node('p', 'sa3.prompt', { text: 'x'.repeat(MAX_TEXT_PARAM_CHARS) }), prompt.params)).toEqual([]);
    expect(oversizedParamProblems(node('p', 'sa3.prompt', { text: 'x'.repeat(MAX_TEXT_PARAM_CHARS + 1) }), prompt.params)).toEqual([
      {
        code: 'text_too_long',
        message:
          'node "p" param "text" is 10,001 characters long, more than the 10,000 a text param may hold (the text encoder reads about the first thousand)',
        node: 'p',
        param: 'text',
      },
    ]);
  });

  it('refuses a data: URI one character longer than the limit, counted before any decoding', () => {
    const atLimit = `data:audio/wav;base64,${'A'.repeat(MAX_DATA_URI_CHARS - 22)}`;
    expect(oversizedParamProblems(node('l', 'audio.load', { source: atLimit }), load.params)).toEqual([]);
    // Not even valid base64: the length alone decides.
    expect(oversizedParamProblems(node('l', 'audio.load', { source: `${atLimit}!` }), load.params)).toEqual([
      {
        code: 'data_uri_too_large',
        message: `node "l" param "source" is a data: URI of 50,331,649 characters, more than the 50,331,648 characters (48 MiB) a data: URI may have; give a file path or upload the audio instead`,
        node: 'l',
        param: 'source',
      },
    ]);
  });

  it('leaves values of the wrong type to the param checks', () => {
    expect(oversizedParamProblems(node('p', 'sa3.prompt', { text: 42 }), prompt.params)).toEqual([]);
  });
});
