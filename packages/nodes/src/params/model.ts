import type { ParamKind } from './param-kind.js';
import type { ParamSpecBase } from './param-spec.js';
import { checkText } from './text-value.js';

/** Which model pack to use; "auto" lets the runtime pick the best installed pack. */
export interface ModelParam extends ParamSpecBase<'model', string> {
  readonly default: string;
}

export const modelKind: ParamKind<ModelParam> = {
  check: (_spec, value) => checkText(value, true),
  parse: (_spec, text) => text,
  jsonSchema: (spec) => ({ type: 'string', default: spec.default, description: spec.description }),
  describe: () => 'model',
};
