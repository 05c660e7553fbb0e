import { defaultSchema, got, type ParamKind } from './param-kind.js';
import type { ParamSpecBase } from './param-spec.js';
import { parseNumberText } from './number-text.js';

/** One value of a fixed list, all strings or all numbers. */
export interface EnumParam<T extends string | number = string | number> extends ParamSpecBase<'enum', T> {
  readonly options: readonly T[];
  readonly default: T;
  readonly unit?: string;
}

const listed = (spec: EnumParam): string => spec.options.map((o) => JSON.stringify(o)).join(', ');
const numeric = (spec: EnumParam): boolean => typeof spec.options[0] === 'number';

function schemaType(spec: EnumParam): string {
  if (!numeric(spec)) return 'string';
  return spec.options.every((o) => Number.isInteger(o)) ? 'integer' : 'number';
}

export const enumKind: ParamKind<EnumParam> = {
  check(spec, value) {
    if (typeof value !== typeof spec.options[0]) return { code: 'invalid_param_type', message: `must be one of ${listed(spec)}, got ${got(value)}` };
    return (spec.options as readonly unknown[]).includes(value) ? null : { code: 'value_not_in_list', message: `is ${got(value)}, not one of ${listed(spec)}` };
  },
  parse: (spec, text) => (numeric(spec) ? parseNumberText(text) : text),
  jsonSchema: (spec) => ({ enum: spec.options, type: schemaType(spec), description: spec.description, ...defaultSchema(spec) }),
  describe: (spec) => `enum, ${spec.options.join('|')}`,
};
