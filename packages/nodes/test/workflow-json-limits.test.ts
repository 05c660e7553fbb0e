import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, MAX_WORKFLOW_NODES, parseWorkflow } from '../src/index.js';

const minimal = { format: 'sa3-workflow', version: 1, nodes: [{ id: 'a', type: 'audio.gain', typeVersion: 1 }] };

describe('what JSON.parse accepts but a workflow file must not hold', () => {
  it('reads a file that starts with a byte order mark as the same workflow', () => {
    const plain = parseWorkflow(JSON.stringify(minimal));
    const withBom = parseWorkflow(`\uFEFF${JSON.stringify(minimal)}`);
    expect(withBom.problems).toEqual([]);
    expect(withBom.workflow).toEqual(plain.workflow);
  });

  it('reports a key given twice, with where the second one is and its pointer', () => {
    const text = '{"format": "sa3-workflow", "version": 1,\n "nodes": [{"id": "a", "type": "audio.gain", "typeVersion": 1, "params": {"db": 1, "db": 2}}]}';
    expect(parseWorkflow(text).problems).toEqual([
      {
        code: 'duplicate_key',
        message: `the key "db" appears twice in one object (the second at line 2, column ${text.split('\n')[1]!.lastIndexOf('"db"') + 1}); give each key once`,
        path: '/nodes/0/params/db',
      },
    ]);
  });

  it('tells keys from string values and escaped quotes: no duplicate where there is none', () => {
    const text = JSON.stringify({ ...minimal, name: 'name', description: 'a "name": "name"', meta: { name: { name: 1 }, 'a/b~': [{ x: 1 }, { x: 2 }] } });
    expect(parseWorkflow(text).problems).toEqual([]);
  });

  it('reports a number beyond a double as written, not as null', () => {
    const text = '{"format": "sa3-workflow", "version": 1, "nodes": [{"id": "a", "type": "audio.gain", "typeVersion": 1, "params": {"db": -1E400}}]}';
    expect(parseWorkflow(text).problems).toEqual([
      {
        code: 'number_out_of_range',
        message: `the number -1E400 at line 1, column ${text.indexOf('-1E400') + 1} is beyond the largest a JSON number can hold here (about 1.8e308)`,
        path: '/nodes/0/params/db',
      },
    ]);
  });

  it.each([
    ['arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['objects', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
  ])('refuses %s nested 100,000 deep in one sentence, without reading further', (_what, text) => {
    const { workflow, problems } = parseWorkflow(text);
    expect(workflow).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe('too_deep');
    expect(problems[0]!.message).toBe(
      `the file nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels (at line 1, column ${text.startsWith('[') ? 65 : 321}); a workflow needs far fewer`,
    );
  });

  it('accepts nesting up to the limit', () => {
    const meta = '{"m":'.repeat(MAX_JSON_DEPTH - 1).slice(0, -5) + '1' + '}'.repeat(MAX_JSON_DEPTH - 2);
    const text = `{"format": "sa3-workflow", "version": 1, "nodes": [], "meta": ${meta}}`;
    expect(parseWorkflow(text).problems.filter((p) => p.code === 'too_deep')).toEqual([]);
  });

  it('refuses more nodes than a run may have, in one sentence', () => {
    const nodes = Array.from({ length: MAX_WORKFLOW_NODES + 1 }, (_, i) => ({ id: `n${i}`, type: 'audio.gain', typeVersion: 1 }));
    const { workflow, problems } = parseWorkflow(JSON.stringify({ format: 'sa3-workflow', version: 1, nodes }));
    expect(workflow).toBeNull();
    expect(problems).toEqual([
      {
        code: 'too_many_nodes',
        message: `the workflow has ${MAX_WORKFLOW_NODES + 1} nodes; sa3 runs workflows of at most ${MAX_WORKFLOW_NODES}`,
        path: '/nodes',
      },
    ]);
  });
});
