import { filenamePatternProblem } from '../filename-pattern.js';
import type { ParamKind } from './param-kind.js';
import type { ParamSpecBase } from './param-spec.js';
import { checkText } from './text-value.js';

/** A relative output file name with {tokens}; it may never leave the output directory. */
export interface FilenameParam extends ParamSpecBase<'filename', string> {
  readonly default: string;
}

export const filenameKind: ParamKind<FilenameParam> = {
  check(_spec, value) {
    const problem = checkText(value, true);
    const why = !problem && typeof value === 'string' ? filenamePatternProblem(value) : null;
    return why ? { code: 'output_path_escapes', message: why } : problem;
  },
  parse: (_spec, text) => text,
  jsonSchema: (spec) => ({ type: 'string', default: spec.default, description: spec.description }),
  describe: () => 'filename',
};
