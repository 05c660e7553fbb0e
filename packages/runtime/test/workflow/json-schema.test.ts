import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Ajv2020, { type SchemaObject } from 'ajv/dist/2020.js';
import { parseWorkflow } from '../../src/workflow/index.js';
import { validWorkflow, type WorkflowDocument } from './fixtures.js';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../schema/sa3-workflow-v1.schema.json', import.meta.url)), 'utf8')) as SchemaObject;
const examplesDir = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true });
const validateShape = ajv.compile(schema);

describe('the published JSON Schema', () => {
  it('accepts every example workflow', () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const doc = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as unknown;
      expect(validateShape(doc), `${file}: ${ajv.errorsText(validateShape.errors)}`).toBe(true);
    }
  });

  const broken: Record<string, (w: WorkflowDocument) => void> = {
    'wrong format': (w) => (w.format = 'other'),
    'version 2': (w) => (w.version = 2),
    'unknown top-level field': (w) => (w.colour = 'red'),
    'node without a type': (w) => delete w.nodes[0]!.type,
    'node id with a space': (w) => (w.nodes[0]!.id = 'a b'),
    'typeVersion 0': (w) => (w.nodes[0]!.typeVersion = 0),
    'position with three numbers': (w) => (w.nodes[0]!.position = [1, 2, 3]),
    'params as an array': (w) => Object.assign(w.nodes[0]!, { params: [] }),
    'wire with one end': (w) => delete w.connections[0]!.to,
    'wire end with three parts': (w) => (w.connections[0]!.from = ['a', 'b', 'c']),
  };

  for (const [name, change] of Object.entries(broken)) {
    it(`and the parser both refuse: ${name}`, () => {
      const w = validWorkflow();
      change(w);
      expect(validateShape(w)).toBe(false);
      expect(parseWorkflow(JSON.stringify(w)).problems.length).toBeGreaterThan(0);
    });
  }
});
