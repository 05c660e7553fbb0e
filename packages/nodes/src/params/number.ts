import { defaultSchema, got, type ParamKind } from './param-kind.js';
import type { ParamSpecBase } from './param-spec.js';
import { parseNumberText } from './number-text.js';

export interface NumberParam extends ParamSpecBase<'number', number> {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** Suggested slider step in the editor. */
  readonly step?: number;
  readonly unit?: string;
}

const withUnit = (spec: NumberParam, value: number): string => `${value}${spec.unit ? ' ' + spec.unit : ''}`;

export const numberKind: ParamKind<NumberParam> = {
  check(spec, value) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      return { code: 'invalid_param_type', message: `must be ${spec.integer ? 'an integer' : 'a number'}, got ${got(value)}` };
    if (spec.integer && !Number.isInteger(value)) return { code: 'value_not_integer', message: `must be an integer, got ${value}` };
    if (spec.min !== undefined && value < spec.min)
      return { code: 'value_smaller_than_min', message: `is ${value}, below the minimum ${withUnit(spec, spec.min)}` };
    if (spec.max !== undefined && value > spec.max)
      return { code: 'value_bigger_than_max', message: `is ${value}, above the maximum ${withUnit(spec, spec.max)}` };
    return null;
  },
  parse: (_spec, text) => parseNumberText(text),
  jsonSchema: (spec) => ({
    type: spec.integer ? 'integer' : 'number',
    ...defaultSchema(spec),
    ...(spec.max === undefined ? {} : { maximum: spec.max }),
    ...(spec.min === undefined ? {} : { minimum: spec.min }),
    description: spec.description,
  }),
  describe(spec) {
    const parts = ['number'];
    if (spec.min !== undefined || spec.max !== undefined) parts.push(`${spec.min ?? '-inf'}..${spec.max ?? 'inf'}${spec.unit ? ' ' + spec.unit : ''}`);
    if (spec.integer) parts.push('integer');
    return parts.join(', ');
  },
};
