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
    const text = serializeWorkflow({ format: 'sa3-workflow', version: 1, nodes: [{ id: 'g', type: 'sa3.generate', typeVersion: 1, params: { zz: 1, seed: 3, model: 'auto' } }], connections: [] });
    expect(text).toContain('"params": { "model": "auto", "seed": 3, "zz": 1 }');
  });

  it('says what is wrong with a file that is not a workflow', () => {
    expect(() => parseWorkflow('{')).toThrow(WorkflowParseError);
    expect(() => parseWorkflow('{"format":"other"}')).toThrow(/"format" should be "sa3-workflow"/);
    expect(() => parseWorkflow('{"format":"sa3-workflow","version":2,"nodes":[],"connections":[]}')).toThrow(/version 2/);
    expect(() => parseWorkflow('{"format":"sa3-workflow","version":1,"nodes":[{"id":"a","type":"x","typeVersion":1},{"id":"a","type":"x","typeVersion":1}],"connections":[]}')).toThrow(/two nodes have the id "a"/);
  });
});
