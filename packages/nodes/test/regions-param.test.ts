import { describe, expect, it } from 'vitest';
import { checkParamValue, getNodeDefinition, mergedRegions, paramKindOf, type ParamSpec } from '../src/index.js';

const regions: ParamSpec = { kind: 'regions', label: 'Regions', description: 'regions to regenerate', max: 380, default: [{ start: 0, end: 10 }] };
const parse = (text: string) => paramKindOf(regions).parse(regions, text);
const check = (value: unknown) => checkParamValue(regions, value);

describe('the regions param kind', () => {
  it('reads START:END pairs separated by commas, or the list as JSON', () => {
    expect(parse('0.2:0.6,1:1.3')).toEqual([
      { start: 0.2, end: 0.6 },
      { start: 1, end: 1.3 },
    ]);
    expect(parse(' 2 : 3 ')).toEqual([{ start: 2, end: 3 }]);
    expect(parse('[{"start":1,"end":2}]')).toEqual([{ start: 1, end: 2 }]);
    expect(parse('1-2')).toBe('1-2');
    expect(parse('[{')).toBe('[{');
  });

  it('refuses each bad region in one sentence naming which', () => {
    expect(check([{ start: 0, end: 1 }])).toBeNull();
    expect(check('1-2')).toEqual({
      code: 'invalid_param_type',
      message: 'must be START:END pairs in seconds separated by commas, for example 0.5:1,2:2.5, got "1-2"',
    });
    expect(check(3)).toEqual({ code: 'invalid_param_type', message: 'must be a list of regions [{ "start": seconds, "end": seconds }, ...], got 3' });
    expect(check([])).toEqual({ code: 'value_empty', message: 'must list at least one region' });
    expect(check([{ start: 0, end: 1 }, [1, 2]])).toEqual({
      code: 'invalid_param_type',
      message: 'region 2 must be an object { "start": seconds, "end": seconds }, got [1,2]',
    });
    expect(check([{ start: 'soon', end: 1 }])).toEqual({ code: 'invalid_param_type', message: 'region 1 needs a number "start" in seconds, got "soon"' });
    expect(check([{ start: -1, end: 1 }])).toEqual({ code: 'value_smaller_than_min', message: 'region 1 starts at -1 s, before 0 s' });
    expect(
      check([
        { start: 0, end: 1 },
        { start: 3, end: 2 },
      ]),
    ).toEqual({ code: 'invalid_range', message: 'region 2 ends at 2 s, which is not after its start 3 s' });
    expect(check([{ start: 1, end: 400 }])).toEqual({ code: 'value_bigger_than_max', message: 'region 1 ends at 400 s, above the maximum 380 s' });
  });

  it('publishes a JSON Schema of a list of {start, end} objects', () => {
    expect(paramKindOf(regions).jsonSchema(regions)).toMatchObject({
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['start', 'end'], properties: { end: { maximum: 380 } } },
      default: [{ start: 0, end: 10 }],
      description: 'regions to regenerate',
    });
  });

  it('merges overlapping and touching regions and sorts them, as the official mask takes their union', () => {
    expect(
      mergedRegions([
        { start: 3, end: 4 },
        { start: 0.5, end: 1 },
        { start: 0.8, end: 2 },
        { start: 2, end: 2.5 },
      ]),
    ).toEqual([
      { start: 0.5, end: 2.5 },
      { start: 3, end: 4 },
    ]);
  });
});

describe('sa3.inpaint version 2', () => {
  const inpaint = getNodeDefinition('sa3.inpaint')!;

  it('takes a list of regions, and migrates version 1 start_seconds/end_seconds to one region', () => {
    expect(inpaint.typeVersion).toBe(2);
    expect(inpaint.params.regions?.kind).toBe('regions');
    const migrate = inpaint.migrations![1]!;
    expect(migrate({ start_seconds: 1, end_seconds: 2.5, seed: 3 })).toEqual({ seed: 3, regions: [{ start: 1, end: 2.5 }] });
    // Left out in version 1, they were the defaults 0 and 10.
    expect(migrate({})).toEqual({ regions: [{ start: 0, end: 10 }] });
  });
});
