import { checkParamValue, paramDefault, type AnyNodeDefinition } from '@sa3/nodes';
import type { Sa3Node } from './sa3-node.js';

export interface NodeProblem {
  readonly code: string;
  readonly message: string;
  readonly param?: string;
  readonly input?: string;
}

function resolvedParams(definition: AnyNodeDefinition, params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(definition.params)) out[key] = params[key] ?? paramDefault(spec);
  return out;
}

/**
 * What is wrong with a node's params as they stand, by the same schemas the runtime validates
 * with, so the user sees it on the node before pressing Run.
 */
export function paramProblems(node: Sa3Node): NodeProblem[] {
  const definition = node.definition;
  if (!definition) return [{ code: 'unknown_node_type', message: `"${node.type}" is not a node type this editor knows; it is kept as it is, but cannot run` }];
  const problems: NodeProblem[] = [];
  for (const [key, spec] of Object.entries(definition.params)) {
    const problem = checkParamValue(spec, node.params[key]);
    if (problem) problems.push({ code: problem.code, message: `${spec.label} ${problem.message}`, param: key });
  }
  if (problems.length === 0) {
    const values = resolvedParams(definition, node.params);
    for (const check of definition.checks ?? []) {
      if (check.fails(values as never)) problems.push({ code: check.code, message: check.message, param: check.param });
    }
  }
  return problems;
}

/** Inputs that must be wired and are not. */
export function inputProblems(node: Sa3Node, connectedInputs: ReadonlySet<string>): NodeProblem[] {
  const definition = node.definition;
  if (!definition) return [];
  const problems: NodeProblem[] = [];
  for (const [key, spec] of Object.entries(definition.inputs)) {
    if (!spec.optional && !connectedInputs.has(key)) problems.push({ code: 'required_input_missing', message: `the ${spec.label} input needs a wire`, input: key });
  }
  const oneOf = definition.requireOneInputOf;
  if (oneOf && !oneOf.some((key) => connectedInputs.has(key))) {
    problems.push({ code: 'required_input_missing', message: `wire one of: ${oneOf.map((k) => definition.inputs[k]?.label ?? k).join(', ')}`, input: oneOf[0]! });
  }
  return problems;
}
