import { describe, expect, it } from 'vitest';
import { checkNodeParams, getNodeDefinition, missingInputs, resolveParams } from '../src/index.js';

const definition = (type: string) => getNodeDefinition(type)!;

describe('checkNodeParams', () => {
  it('accepts defaults', () => expect(checkNodeParams(definition('sa3.generate'), {})).toEqual([]));

  it('names unknown params first, then each refused value, as predicates', () => {
    expect(checkNodeParams(definition('audio.gain'), { loudness: 3, gain_db: 99 })).toEqual([
      { kind: 'unknown_param', code: 'unknown_param', param: 'loudness', message: 'has no param "loudness"; its params are gain_db' },
      { kind: 'value', code: 'value_bigger_than_max', param: 'gain_db', message: 'is 99, above the maximum 24 dB' },
    ]);
  });

  it('refuses a file name pattern that leaves the output directory', () => {
    const [problem] = checkNodeParams(definition('audio.save'), { filename: 'a/../../b.wav' });
    expect(problem).toMatchObject({ kind: 'value', code: 'output_path_escapes', param: 'filename', message: expect.stringMatching(/climbs out/) });
  });

  it('runs the cross-param checks on resolved values, only when every value is acceptable', () => {
    expect(checkNodeParams(definition('sa3.inpaint'), { start_seconds: 10, end_seconds: 5 })).toEqual([
      { kind: 'check', code: 'invalid_range', param: 'end_seconds', message: 'must be greater than start_seconds' },
    ]);
    expect(checkNodeParams(definition('sa3.inpaint'), { start_seconds: 10, end_seconds: 5, steps: 99 }).map((p) => p.kind)).toEqual(['value']);
  });
});

describe('resolveParams', () => {
  it('fills in defaults and leaves out optional params that are not set', () => {
    const resolved = resolveParams(definition('audio.trim'), { start_seconds: 1 });
    expect(resolved.start_seconds).toBe(1);
    expect('end_seconds' in resolved).toBe(false);
  });
});

describe('missingInputs', () => {
  it('lists required inputs without a wire, and a one-of group none of which is wired', () => {
    expect(missingInputs(definition('sa3.generate'), new Set())).toEqual([{ input: 'prompt' }]);
    expect(missingInputs(definition('sa3.generate'), new Set(['prompt']))).toEqual([]);
    expect(missingInputs(definition('audio.save'), new Set())).toEqual([{ input: 'file', oneOf: ['file', 'audio'] }]);
    expect(missingInputs(definition('audio.save'), new Set(['audio']))).toEqual([]);
  });
});
