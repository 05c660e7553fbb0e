import type { ParamSpec } from './param-kinds.js';
import type { ParamProblem } from './param-spec.js';
import { paramKindOf } from './registry.js';

export function paramDefault(spec: ParamSpec): unknown {
  return spec.default;
}

/** Checks one value against its spec. Returns null when the value is acceptable. */
export function checkParamValue(spec: ParamSpec, value: unknown): ParamProblem | null {
  if (value === undefined || value === null) {
    if (spec.optional || paramDefault(spec) !== undefined) return null;
    return { code: 'required_param_missing', message: `is required (${spec.description})` };
  }
  return paramKindOf(spec).check(spec, value);
}
