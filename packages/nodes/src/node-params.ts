import { filenamePatternProblem } from './filename-pattern.js';
import type { AnyNodeDefinition } from './node-definition.js';
import { checkParamValue, paramDefault, type ParamProblemCode, type ParamSpecs } from './params.js';

/**
 * What is wrong with one param of a node. `message` is a predicate: the subject (the node for
 * unknown params, the param otherwise) is for the caller to name in its own words.
 */
export type NodeParamProblem =
  | { readonly kind: 'unknown_param'; readonly code: 'unknown_param'; readonly param: string; readonly message: string }
  | { readonly kind: 'value'; readonly code: ParamProblemCode | 'output_path_escapes'; readonly param: string; readonly message: string }
  | { readonly kind: 'check'; readonly code: string; readonly param: string; readonly message: string };

/** Params with defaults filled in, as a run function sees them. */
export function resolveParams(definition: AnyNodeDefinition, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(definition.params as ParamSpecs)) {
    const value = params[name] ?? paramDefault(spec);
    if (value !== undefined) resolved[name] = value;
  }
  return resolved;
}

/**
 * Every problem with a node's params: names its type does not have, values their schemas refuse,
 * and, once every value is acceptable, the node's checks across params.
 */
export function checkNodeParams(definition: AnyNodeDefinition, params: Readonly<Record<string, unknown>>): NodeParamProblem[] {
  const specs = definition.params as ParamSpecs;
  const problems: NodeParamProblem[] = [];
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(specs, name)) {
      problems.push({
        kind: 'unknown_param',
        code: 'unknown_param',
        param: name,
        message: `has no param "${name}"; its params are ${Object.keys(specs).join(', ') || 'none'}`,
      });
    }
  }
  let allValid = true;
  for (const [name, spec] of Object.entries(specs)) {
    const value = params[name];
    const problem = checkParamValue(spec, value);
    if (problem) {
      allValid = false;
      problems.push({ kind: 'value', code: problem.code, param: name, message: problem.message });
      continue;
    }
    const why = spec.kind === 'filename' && typeof value === 'string' ? filenamePatternProblem(value) : null;
    if (why) problems.push({ kind: 'value', code: 'output_path_escapes', param: name, message: why });
  }
  if (!allValid) return problems;
  const resolved = resolveParams(definition, params);
  for (const check of definition.checks ?? []) {
    if (check.fails(resolved as never)) problems.push({ kind: 'check', code: check.code, param: check.param, message: check.message });
  }
  return problems;
}
