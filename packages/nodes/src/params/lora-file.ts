import type { ParamKind } from './param-kind.js';
import type { ParamSpecBase } from './param-spec.js';
import { checkText } from './text-value.js';

/** A LoRA adapter file: a path, or the name of one installed in $SA3_HOME/loras (the editor offers those). */
export type LoraFileParam = ParamSpecBase<'loraFile', string>;

export const loraFileKind: ParamKind<LoraFileParam> = {
  check: (_spec, value) => checkText(value, true),
  parse: (_spec, text) => text,
  jsonSchema: (spec) => ({ type: 'string', minLength: 1, description: spec.description }),
  describe: () => 'LoRA file',
};
