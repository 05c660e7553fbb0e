import { describe, expect, it } from 'vitest';
import { duplicateIdProblems, parseWorkflow } from '../src/index.js';

const minimal = { format: 'sa3-workflow', version: 1, nodes: [{ id: 'a', type: 'audio.gain', typeVersion: 1 }] };

function problemsOf(doc: unknown): { code: string; path?: string | undefined; message: string }[] {
  return parseWorkflow(typeof doc === 'string' ? doc : JSON.stringify(doc)).problems;
}

describe('parseWorkflow', () => {
  it('reads a minimal file: params default to {}, wires to []', () => {
    const { workflow, problems } = parseWorkflow(JSON.stringify(minimal));
    expect(problems).toEqual([]);
    expect(workflow).toEqual({ format: 'sa3-workflow', version: 1, nodes: [{ id: 'a', type: 'audio.gain', typeVersion: 1, params: {} }], connections: [] });
  });

  it('names the line and column of a JSON syntax error', () => {
    const [problem] = problemsOf('{\n  "format": "sa3-workflow",\n  "version": 1,,\n}');
    expect(problem).toMatchObject({ code: 'invalid_json', path: '' });
    expect(problem!.message).toMatch(/^the file is not valid JSON: .* at line 3, column 16$/);
  });

  it('says so for an empty file and for JSON that is not an object', () => {
    expect(problemsOf('  ')).toEqual([{ code: 'invalid_json', message: 'the file is empty; a workflow is a JSON object', path: '' }]);
    expect(problemsOf('[1]')).toEqual([{ code: 'invalid_structure', message: 'the file holds an array; a workflow is a JSON object', path: '' }]);
  });

  it('collects every shape problem with its JSON pointer, and keeps the usable nodes and wires', () => {
    const { workflow, problems } = parseWorkflow(
      JSON.stringify({
        format: 'sa3-workflow',
        version: 2,
        colour: 'red',
        nodes: [
          { id: 'a b', type: 'x', typeVersion: 1 },
          { id: 'ok', type: 'audio.gain', typeVersion: 1, position: [1, 2, 3] },
        ],
        connections: [{ from: ['ok', 'audio'] }, { from: ['ok', 'audio'], to: ['x', 'audio'] }],
      }),
    );
    expect(problems.map((p) => `${p.code}@${p.path}`)).toEqual([
      'unsupported_version@/version',
      'unknown_field@/colour',
      'invalid_structure@/nodes/0/id',
      'invalid_structure@/nodes/1/position',
      'invalid_structure@/connections/0',
    ]);
    expect(workflow?.nodes.map((n) => n.id)).toEqual(['ok']);
    expect(workflow?.connections).toHaveLength(1);
  });
});

describe('duplicateIdProblems', () => {
  it('reports each repeat of an id once it has been seen', () => {
    const node = (id: string) => ({ id, type: 't', typeVersion: 1, params: {} });
    expect(duplicateIdProblems([node('a'), node('b'), node('a'), node('a')])).toEqual([
      { code: 'duplicate_node_id', message: 'two nodes have the id "a"; ids must be unique', node: 'a' },
      { code: 'duplicate_node_id', message: 'two nodes have the id "a"; ids must be unique', node: 'a' },
    ]);
  });
});
