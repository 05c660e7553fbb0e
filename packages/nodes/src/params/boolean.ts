import { defaultSchema, got, type ParamKind } from './param-kind.js';
import type { ParamSpecBase } from './param-spec.js';

export interface BooleanParam extends ParamSpecBase<'boolean', boolean> {
  readonly default: boolean;
}

export const booleanKind: ParamKind<BooleanParam> = {
  check: (_spec, value) => (typeof value === 'boolean' ? null : { code: 'invalid_param_type', message: `must be true or false, got ${got(value)}` }),
  parse: (_spec, text) => (text === 'true' ? true : text === 'false' ? false : text),
  jsonSchema: (spec) => ({ type: 'boolean', ...defaultSchema(spec), description: spec.description }),
  describe: () => 'boolean',
};
