import { describe, expect, it } from 'vitest';
import { checkParamValue, paramKindOf, registerParamKind, type ParamSpec, type ParamSpecBase } from '../src/index.js';

const duration: ParamSpec = { kind: 'number', label: 'Duration', description: 'length', min: 1, max: 380, default: 30, unit: 's' };
const steps: ParamSpec = { kind: 'number', label: 'Steps', description: 'steps', integer: true, min: 4, max: 50, default: 8 };
const format: ParamSpec = { kind: 'enum', label: 'Format', description: 'format', options: ['wav', 'mp3'], default: 'wav' };
const bitrate: ParamSpec = { kind: 'enum', label: 'Bitrate', description: 'bitrate', options: [128, 192], default: 192, unit: 'kbps' };
const seed: ParamSpec = { kind: 'seed', label: 'Seed', description: 'seed', default: -1 };
const loop: ParamSpec = { kind: 'boolean', label: 'Loop', description: 'loop', default: false };
const text: ParamSpec = { kind: 'string', label: 'Text', description: 'text', multiline: true };
const source: ParamSpec = { kind: 'audioSource', label: 'Source', description: 'source' };
const filename: ParamSpec = { kind: 'filename', label: 'File name', description: 'name', default: '{node}.{ext}' };

const parse = (spec: ParamSpec, value: string) => paramKindOf(spec).parse(spec, value);

describe('each param kind parses command-line text into its values', () => {
  it.each([
    [steps, '12', 12],
    [duration, '2.5', 2.5],
    [duration, 'long', 'long'],
    [duration, ' ', ' '],
    [seed, '-1', -1],
    [bitrate, '128', 128],
    [format, 'mp3', 'mp3'],
    [loop, 'true', true],
    [loop, 'false', false],
    [loop, 'yes', 'yes'],
    [text, '42', '42'],
    [source, 'a.wav', 'a.wav'],
  ])('%o reads %o as %o', (spec, textValue, value) => expect(parse(spec as ParamSpec, textValue)).toEqual(value));

  it('leaves text that is no value of the kind for the check to refuse in its words', () => {
    expect(checkParamValue(steps, parse(steps, 'many'))).toEqual({ code: 'invalid_param_type', message: 'must be an integer, got "many"' });
    expect(checkParamValue(loop, parse(loop, 'yes'))).toEqual({ code: 'invalid_param_type', message: 'must be true or false, got "yes"' });
  });
});

describe('each param kind gives its JSON Schema', () => {
  const schema = (spec: ParamSpec) => paramKindOf(spec).jsonSchema(spec);

  it('numbers: integer or number, with range and default', () => {
    expect(schema(steps)).toEqual({ type: 'integer', default: 8, minimum: 4, maximum: 50, description: 'steps' });
    expect(schema(duration)).toEqual({ type: 'number', default: 30, minimum: 1, maximum: 380, description: 'length' });
  });

  it('seeds: an integer without a range, -1 meaning random', () => {
    expect(schema(seed)).toEqual({ type: 'integer', default: -1, description: 'seed' });
  });

  it('enums: the options, typed', () => {
    expect(schema(format)).toEqual({ enum: ['wav', 'mp3'], type: 'string', default: 'wav', description: 'format' });
    expect(schema(bitrate)).toEqual({ enum: [128, 192], type: 'integer', default: 192, description: 'bitrate' });
  });

  it('booleans and text kinds', () => {
    expect(schema(loop)).toEqual({ type: 'boolean', default: false, description: 'loop' });
    expect(schema(text)).toEqual({ type: 'string', description: 'text' });
    expect(schema(filename)).toEqual({ type: 'string', default: '{node}.{ext}', description: 'name' });
  });
});

describe('each param kind describes the values it takes', () => {
  it.each([
    [duration, 'number, 1..380 s'],
    [steps, 'number, 4..50, integer'],
    [format, 'enum, wav|mp3'],
    [seed, 'seed'],
    [loop, 'boolean'],
    [source, 'audioSource'],
  ])('%o: %s', (spec, words) => expect(paramKindOf(spec as ParamSpec).describe(spec as ParamSpec)).toBe(words));
});

describe('kind-specific checks', () => {
  it('a file name kind refuses a name that leaves the output directory', () => {
    const escape = checkParamValue(filename, '../x.wav');
    expect(escape?.code).toBe('output_path_escapes');
    expect(escape?.message).toMatch(/climbs out of the output directory/);
    expect(checkParamValue(filename, '')).toEqual({ code: 'value_empty', message: 'must not be empty' });
  });

  it('an audio source must not be empty', () => {
    expect(checkParamValue(source, '  ')).toEqual({ code: 'value_empty', message: 'must not be empty' });
    expect(checkParamValue(source, undefined)).toEqual({ code: 'required_param_missing', message: 'is required (source)' });
  });
});

interface PercentParam extends ParamSpecBase<'percent', number> {
  readonly default: number;
}

declare module '../src/index.js' {
  interface ParamKinds {
    percent: PercentParam;
  }
}

describe('a kind added by module augmentation', () => {
  const share: ParamSpec = { kind: 'percent', label: 'Share', description: 'share', default: 50 };

  it('is refused by name until it is registered', () => {
    expect(() => checkParamValue(share, 120)).toThrow('the param kind "percent" is not registered');
  });

  it('is checked, parsed and described by its own object once registered, and only once', () => {
    registerParamKind('percent', {
      check: (_spec, value) => (typeof value === 'number' && value >= 0 && value <= 100 ? null : { code: 'value_bigger_than_max', message: 'is over 100%' }),
      parse: (_spec, textValue) => Number(textValue.replace('%', '')),
      jsonSchema: (spec) => ({ type: 'number', minimum: 0, maximum: 100, default: spec.default }),
      describe: () => 'percent, 0..100',
    });
    expect(checkParamValue(share, 120)).toEqual({ code: 'value_bigger_than_max', message: 'is over 100%' });
    expect(paramKindOf(share).parse(share, '40%')).toBe(40);
    expect(() => registerParamKind('percent', paramKindOf(share))).toThrow('already registered');
  });
});
