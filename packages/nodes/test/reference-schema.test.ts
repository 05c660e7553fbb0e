import { describe, expect, it } from 'vitest';
import { getNodeDefinition, type NumberParam, type ParamSpec } from '../src/index.js';
import { readSharedJson } from './shared-reference.js';

interface SchemaProperty {
  type: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  description?: string;
}

const schema = readSharedJson('reference/replicate-stable-audio-3-medium.schema.json') as { input: { properties: Record<string, SchemaProperty> } } | null;

/** Which node param carries each field of the hosted model's input schema. */
const mapping: Record<string, [string, string]> = {
  duration: ['sa3.generate', 'duration'],
  steps: ['sa3.generate', 'steps'],
  cfg_scale: ['sa3.generate', 'cfg_scale'],
  seed: ['sa3.generate', 'seed'],
  init_noise_level: ['sa3.edit', 'init_noise_level'],
};

describe.skipIf(schema === null)('mission nodes and the reference input schema', () => {
  for (const [field, [type, param]] of Object.entries(mapping)) {
    it(`${type}.${param} has the range and default of "${field}"`, () => {
      const expected = schema!.input.properties[field]!;
      const spec = getNodeDefinition(type)!.params[param] as ParamSpec;
      expect(spec.kind === 'seed' ? -1 : spec.default).toBe(expected.default);
      if (spec.kind === 'number') {
        expect(spec.min).toBe(expected.minimum);
        expect(spec.max).toBe(expected.maximum);
        expect(spec.integer === true).toBe(expected.type === 'integer');
      }
    });
  }

  it('every sampling node shares steps, cfg_scale and seed exactly', () => {
    const generate = getNodeDefinition('sa3.generate')!.params;
    for (const type of ['sa3.edit', 'sa3.inpaint', 'sa3.extend']) {
      const params = getNodeDefinition(type)!.params;
      for (const name of ['steps', 'cfg_scale', 'seed', 'model']) expect(params[name]).toEqual(generate[name]);
    }
  });

  it('the duration limits of every sampling node follow the schema maximum', () => {
    const max = schema!.input.properties.duration!.maximum;
    for (const type of ['sa3.generate', 'sa3.edit', 'sa3.inpaint', 'sa3.extend']) {
      expect((getNodeDefinition(type)!.params.duration as NumberParam).max).toBe(max);
    }
  });
});
