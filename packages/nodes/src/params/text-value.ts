import { got } from './param-kind.js';
import type { ParamProblem } from './param-spec.js';

/** The check every text kind starts with: a string, and one with something in it where that is required. */
export function checkText(value: unknown, mustBeFilled: boolean): ParamProblem | null {
  if (typeof value !== 'string') return { code: 'invalid_param_type', message: `must be a string, got ${got(value)}` };
  if (mustBeFilled && value.trim() === '') return { code: 'value_empty', message: 'must not be empty' };
  return null;
}
