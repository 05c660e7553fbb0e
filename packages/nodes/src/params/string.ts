import { defaultSchema, type ParamKind } from './param-kind.js';
import type { ParamSpecBase } from './param-spec.js';
import { checkText } from './text-value.js';

export interface StringParam extends ParamSpecBase<'string', string> {
  readonly multiline?: boolean;
  /** Reject the empty string. */
  readonly nonEmpty?: boolean;
}

export const stringKind: ParamKind<StringParam> = {
  check: (spec, value) => checkText(value, spec.nonEmpty === true),
  parse: (_spec, text) => text,
  jsonSchema: (spec) => ({ type: 'string', ...defaultSchema(spec), description: spec.description }),
  describe: () => 'string',
};
