import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWorkflow, serializeWorkflow, WorkflowParseError } from '../src/workflow-json/index.js';

const examplesDir = new URL('../../../examples/', import.meta.url);
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));

describe('workflow files', () => {
  it.each(examples)('%s: load -> save gives the same bytes', (file) => {
    const text = readFileSync(new URL(file, examplesDir), 'utf8');
    expect(serializeWorkflow(parseWorkflow(text))).toBe(text);
  });

  it('puts catalogue params in schema order and unknown ones after, as they came', () => {
    const text = serializeWorkflow({
      format: 'sa3-workflow',
      version: 1,
      nodes: [{ id: 'g', type: 'sa3.generate', typeVersion: 1, params: { zz: 1, seed: 3, model: 'auto' } }],
      connections: [],
    });
    expect(text).toContain('"params": { "model": "auto", "seed": 3, "zz": 1 }');
  });

  it('says what is wrong with a file that is not a workflow', () => {
    expect(() => parseWorkflow('{')).toThrow(WorkflowParseError);
    expect(() => parseWorkflow('{"format":"other"}')).toThrow(/"format" is "other"; a workflow file says "format": "sa3-workflow"/);
    expect(() => parseWorkflow('{"format":"sa3-workflow","version":2,"nodes":[],"connections":[]}')).toThrow(/"version" is 2, newer than/);
    expect(() =>
      parseWorkflow(
        '{"format":"sa3-workflow","version":1,"nodes":[{"id":"a","type":"x","typeVersion":1},{"id":"a","type":"x","typeVersion":1}],"connections":[]}',
      ),
    ).toThrow(/two nodes have the id "a"/);
  });

  it('reads files as the runtime does: wires may be left out, unknown fields are refused, JSON errors name the line', () => {
    expect(parseWorkflow('{"format":"sa3-workflow","version":1,"nodes":[]}').connections).toEqual([]);
    expect(() => parseWorkflow('{"format":"sa3-workflow","version":1,"nodes":[],"colour":"red"}')).toThrow(/unknown top-level field "colour"/);
    expect(() => parseWorkflow('{"format":"sa3-workflow","version":1,"nodes":[{"id":"a","type":"x","typeVersion":1,"pos":[0,0]}]}')).toThrow(
      /node "a" has the unknown field "pos"/,
    );
    expect(() => parseWorkflow('{\n  "format": "sa3-workflow",,\n}')).toThrow(/not valid JSON: .* at line 2, column/);
    const refusal = (() => {
      try {
        parseWorkflow('{"format":"other","version":1,"nodes":{}}');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(WorkflowParseError);
    expect((refusal as WorkflowParseError).problems.map((p) => p.code)).toEqual(['invalid_format', 'invalid_structure']);
  });
});
