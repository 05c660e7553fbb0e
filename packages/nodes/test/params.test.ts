import { describe, expect, it } from 'vitest';
import { checkParamValue, type ParamSpec } from '../src/index.js';

const steps: ParamSpec = { kind: 'number', label: 'Steps', description: 'steps', integer: true, min: 4, max: 50, default: 8 };
const format: ParamSpec = { kind: 'enum', label: 'Format', description: 'format', options: ['wav', 'mp3'], default: 'wav' };
const bitrate: ParamSpec = { kind: 'enum', label: 'Bitrate', description: 'bitrate', options: [128, 192], default: 192 };
const seed: ParamSpec = { kind: 'seed', label: 'Seed', description: 'seed', default: -1 };
const text: ParamSpec = { kind: 'string', label: 'Text', description: 'text' };

describe('checkParamValue', () => {
  it.each([
    [steps, 8, null],
    [steps, 3, 'value_smaller_than_min'],
    [steps, 51, 'value_bigger_than_max'],
    [steps, 8.5, 'value_not_integer'],
    [steps, '8', 'invalid_param_type'],
    [steps, Number.NaN, 'invalid_param_type'],
    [steps, undefined, null],
    [format, 'mp3', null],
    [format, 'aac', 'value_not_in_list'],
    [format, 3, 'invalid_param_type'],
    [bitrate, 128, null],
    [bitrate, '128', 'invalid_param_type'],
    [bitrate, 100, 'value_not_in_list'],
    [seed, -1, null],
    [seed, 4_294_967_295, null],
    [seed, 4_294_967_296, 'value_bigger_than_max'],
    [seed, -2, 'value_smaller_than_min'],
    [text, undefined, 'required_param_missing'],
    [text, '', null],
  ])('%o with %o -> %s', (spec, value, code) => {
    expect(checkParamValue(spec as ParamSpec, value)?.code ?? null).toBe(code);
  });

  it('says what was expected in the message', () => {
    expect(checkParamValue(steps, 51)?.message).toBe('is 51, above the maximum 50');
    expect(checkParamValue(format, 'aac')?.message).toBe('is "aac", not one of "wav", "mp3"');
  });
});
