import { checkNodeParams, missingInputs, paramApplies, type NodeParamProblem, type AnyNodeDefinition, type Problem } from '@sa3/nodes';
import type { Sa3Node } from './sa3-node.js';

/** A problem as a node shows it: the node is the one it is on. */
export type NodeProblem = Pick<Problem, 'code' | 'message' | 'param' | 'input'>;

/** A param's problem as the node shows it: beside the param's field, or on the node when it has none. */
function shown(definition: AnyNodeDefinition, problem: NodeParamProblem): NodeProblem {
  switch (problem.kind) {
    case 'unknown_param':
      return { code: problem.code, message: `this node ${problem.message}` };
    case 'value':
      return { code: problem.code, message: `${definition.params[problem.param]!.label} ${problem.message}`, param: problem.param };
    case 'check':
      return { code: problem.code, message: problem.message, param: problem.param };
  }
}

/**
 * What is wrong with a node's params as they stand, by the same checks the runtime validates
 * with, so the user sees it on the node before pressing Run.
 */
export function paramProblems(node: Sa3Node): NodeProblem[] {
  const definition = node.definition;
  if (!definition) return [{ code: 'unknown_node_type', message: `"${node.type}" is not a node type this editor knows; it is kept as it is, but cannot run` }];
  return checkNodeParams(definition, node.params).map((problem) => {
    const problemShown = shown(definition, problem);
    // A hidden field cannot show its problem: the node does, in its own words.
    if (problemShown.param === undefined || paramApplies(definition, problemShown.param, node.params)) return problemShown;
    const { param: _hidden, ...onNode } = problemShown;
    return onNode;
  });
}

/** Inputs that must be wired and are not. */
export function inputProblems(node: Sa3Node, connectedInputs: ReadonlySet<string>): NodeProblem[] {
  const definition = node.definition;
  if (!definition) return [];
  return missingInputs(definition, connectedInputs).map(({ input, oneOf }) => ({
    code: 'required_input_missing',
    message: oneOf
      ? `wire one of: ${oneOf.map((k) => definition.inputs[k]?.label ?? k).join(', ')}`
      : `the ${definition.inputs[input]!.label} input needs a wire`,
    input,
  }));
}
