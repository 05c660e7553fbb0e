import { describe, expect, it } from 'vitest';
import {
  checkNodeParams,
  checkParamValue,
  getNodeDefinition,
  missingInputs,
  nodeCatalogue,
  nodeParamWarnings,
  paramApplies,
  resolveParams,
} from '../src/index.js';

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
    expect(problem).toMatchObject({ kind: 'value', code: 'output_path_escapes', param: 'filename' });
    expect(problem?.message).toMatch(/climbs out/);
  });

  it('runs the cross-param checks on resolved values, only when every value is acceptable', () => {
    const regions = [{ start: 1, end: 8 }];
    expect(checkNodeParams(definition('sa3.inpaint'), { regions, duration: 5 })).toEqual([
      { kind: 'check', code: 'invalid_range', param: 'duration', message: 'must be at least the end of the last region' },
    ]);
    expect(checkNodeParams(definition('sa3.inpaint'), { regions, duration: 5, steps: 99 }).map((p) => p.kind)).toEqual(['value']);
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

describe('conditional params (audio.convert shows each format its own settings)', () => {
  const convert = definition('audio.convert');
  const formatSpecific = { wav: 'wav_bit_depth', mp3: 'mp3_bitrate', flac: 'flac_compression', ogg: 'ogg_quality' };

  it('applies each format-specific param only for its format; the default format is wav', () => {
    for (const [format, param] of Object.entries(formatSpecific)) {
      for (const other of Object.keys(formatSpecific)) expect(paramApplies(convert, param, { format: other })).toBe(other === format);
    }
    expect(paramApplies(convert, 'wav_bit_depth', {})).toBe(true);
    expect(paramApplies(convert, 'mp3_bitrate', {})).toBe(false);
    expect(paramApplies(convert, 'format', { format: 'ogg' })).toBe(true);
  });

  it('warns about a param set for another format, in one predicate naming the condition and the value that fails it', () => {
    expect(nodeParamWarnings(convert, { format: 'wav', mp3_bitrate: 320 })).toEqual([
      {
        code: 'param_not_applicable',
        param: 'mp3_bitrate',
        message: 'is set, but it is used only when format is mp3 (format is "wav"), so it is ignored',
      },
    ]);
    expect(nodeParamWarnings(convert, { mp3_bitrate: 320, ogg_quality: 3 }).map((w) => w.param)).toEqual(['mp3_bitrate', 'ogg_quality']);
    expect(nodeParamWarnings(convert, { format: 'mp3', mp3_bitrate: 320 })).toEqual([]);
    expect(checkNodeParams(convert, { format: 'wav', mp3_bitrate: 320 })).toEqual([]);
  });

  it('every condition in the catalogue names another param of its node and values that param accepts', () => {
    let conditions = 0;
    for (const node of nodeCatalogue) {
      for (const [name, spec] of Object.entries(node.params)) {
        for (const [other, values] of Object.entries(spec.onlyWhen ?? {})) {
          conditions++;
          expect(other, `${node.type}.${name}`).not.toBe(name);
          const otherSpec = node.params[other];
          expect(otherSpec, `${node.type}.${name} depends on ${other}`).toBeDefined();
          for (const value of values) expect(checkParamValue(otherSpec!, value), `${node.type}.${name}: ${other} = ${value}`).toBeNull();
        }
      }
    }
    expect(conditions).toBeGreaterThanOrEqual(4);
  });
});
