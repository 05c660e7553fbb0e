import type { AnyNodeDefinition } from './node-definition.js';
import { checkParamValue, conditionHolds, describeCondition, paramDefault, type ParamProblemCode } from './params/index.js';

/**
 * What is wrong with one param of a node. `message` is a predicate: the subject (the node for
 * unknown params, the param otherwise) is for the caller to name in its own words.
 */
export type NodeParamProblem =
  | { readonly kind: 'unknown_param'; readonly code: 'unknown_param'; readonly param: string; readonly message: string }
  | { readonly kind: 'value'; readonly code: ParamProblemCode; readonly param: string; readonly message: string }
  | { readonly kind: 'check'; readonly code: string; readonly param: string; readonly message: string };

export type ParamWarningCode = 'param_not_applicable';

/** Something set that the node will not use; the run goes ahead. `message` is a predicate, as above. */
export interface NodeParamWarning {
  readonly code: ParamWarningCode;
  readonly param: string;
  readonly message: string;
}

/** Params with defaults filled in, as a run function sees them. */
export function resolveParams(definition: AnyNodeDefinition, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(definition.params)) {
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
  const specs = definition.params;
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
    const problem = checkParamValue(spec, params[name]);
    if (!problem) continue;
    // A file name that leaves the output directory is refused, but says nothing about the other params.
    if (problem.code !== 'output_path_escapes') allValid = false;
    problems.push({ kind: 'value', code: problem.code, param: name, message: problem.message });
  }
  if (!allValid) return problems;
  const resolved = resolveParams(definition, params);
  for (const check of definition.checks ?? []) {
    if (check.fails(resolved as never)) problems.push({ kind: 'check', code: check.code, param: check.param, message: check.message });
  }
  return problems;
}

/** Whether the node uses a param, given its params as set (defaults stand in for the rest). */
export function paramApplies(definition: AnyNodeDefinition, name: string, params: Readonly<Record<string, unknown>>): boolean {
  const spec = definition.params[name];
  return spec?.onlyWhen === undefined || conditionHolds(spec.onlyWhen, resolveParams(definition, params));
}

/** Params set that the node ignores, because they apply only when another param has other values. */
export function nodeParamWarnings(definition: AnyNodeDefinition, params: Readonly<Record<string, unknown>>): NodeParamWarning[] {
  const specs = definition.params;
  const resolved = resolveParams(definition, params);
  const warnings: NodeParamWarning[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (params[name] === undefined || spec.onlyWhen === undefined || conditionHolds(spec.onlyWhen, resolved)) continue;
    const actual = Object.keys(spec.onlyWhen)
      .map((other) => `${other} is ${JSON.stringify(resolved[other])}`)
      .join(' and ');
    warnings.push({
      code: 'param_not_applicable',
      param: name,
      message: `is set, but it is used ${describeCondition(spec.onlyWhen)} (${actual}), so it is ignored`,
    });
  }
  return warnings;
}
