import { describe, expect, it } from 'vitest';
import { getNodeDefinition, paramKindOf } from '../src/index.js';
import { readSharedJson } from './shared-reference.js';

const schema = readSharedJson('reference/replicate-stable-audio-3-medium.schema.json') as {
  input: { properties: Record<string, Record<string, unknown>> };
} | null;

/** Which node param carries each field of the hosted model's input schema (as the Cog server maps them). */
const carriers: Record<string, [string, string]> = {
  duration: ['sa3.generate', 'duration'],
  steps: ['sa3.generate', 'steps'],
  cfg_scale: ['sa3.generate', 'cfg_scale'],
  seed: ['sa3.generate', 'seed'],
  init_noise_level: ['sa3.edit', 'init_noise_level'],
};

describe.skipIf(schema === null)('the JSON Schema param kinds give, against the reference input schema', () => {
  for (const [field, [type, param]] of Object.entries(carriers)) {
    it(`${type}.${param} gives exactly "${field}" but for its title, x-order and description`, () => {
      const { title: _title, 'x-order': _order, description: _description, ...expected } = schema!.input.properties[field]!;
      const spec = getNodeDefinition(type)!.params[param]!;
      const { description: _own, ...fromKind } = paramKindOf(spec).jsonSchema(spec);
      expect(fromKind).toEqual(expected);
    });
  }
});
