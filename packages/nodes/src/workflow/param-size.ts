import type { ParamSpecs } from '../params.js';
import { MAX_DATA_URI_CHARS, MAX_TEXT_PARAM_CHARS } from './json-limits.js';
import type { WorkflowProblem } from './problems.js';
import type { WorkflowNode } from './types.js';

const count = (n: number): string => n.toLocaleString('en-US');
const mebibytes = (chars: number): string => `${count(chars)} characters (${chars / (1024 * 1024)} MiB)`;

/**
 * Text params longer than a run can use: a prompt beyond MAX_TEXT_PARAM_CHARS, or an audio source
 * that is a data: URI beyond MAX_DATA_URI_CHARS. Only lengths are read, so this costs nothing
 * however large the value.
 */
export function oversizedParamProblems(node: WorkflowNode, specs: ParamSpecs): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  for (const [param, spec] of Object.entries(specs)) {
    const value = node.params[param];
    if (typeof value !== 'string') continue;
    const where = `node "${node.id}" param "${param}"`;
    if (spec.kind === 'string' && value.length > MAX_TEXT_PARAM_CHARS) {
      problems.push({
        code: 'text_too_long',
        message: `${where} is ${count(value.length)} characters long, more than the ${count(MAX_TEXT_PARAM_CHARS)} a text param may hold (the text encoder reads about the first thousand)`,
        node: node.id,
        param,
      });
    } else if (spec.kind === 'audioSource' && value.length > MAX_DATA_URI_CHARS && /^data:/i.test(value)) {
      problems.push({
        code: 'data_uri_too_large',
        message: `${where} is a data: URI of ${count(value.length)} characters, more than the ${mebibytes(MAX_DATA_URI_CHARS)} a data: URI may have; give a file path or upload the audio instead`,
        node: node.id,
        param,
      });
    }
  }
  return problems;
}
