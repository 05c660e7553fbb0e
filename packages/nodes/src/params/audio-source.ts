import { defaultSchema, type ParamKind } from './param-kind.js';
import type { ParamSpecBase } from './param-spec.js';
import { checkText } from './text-value.js';

/** Where audio comes from: a file path, an http(s) URL, a data: URI or an uploaded file id. */
export type AudioSourceParam = ParamSpecBase<'audioSource', string>;

export const audioSourceKind: ParamKind<AudioSourceParam> = {
  check: (_spec, value) => checkText(value, true),
  parse: (_spec, text) => text,
  jsonSchema: (spec) => ({ type: 'string', ...defaultSchema(spec), description: spec.description }),
  describe: () => 'audioSource',
};
