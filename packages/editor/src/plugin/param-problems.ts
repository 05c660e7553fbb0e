import { checkNodeParams, missingInputs, paramApplies, type NodeParamProblem, type AnyNodeDefinition, type Problem } from '@sa3/nodes';
import type { Sa3Node } from './sa3-node.js';
import { packLimitProblems, type PackLimit } from './pack-limits.js';

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
 * with, so the user sees it on the node before pressing Run; with the installed packs, also a
 * length beyond what the node's selected pack makes.
 */
export function paramProblems(node: Sa3Node, packs: readonly PackLimit[] = []): NodeProblem[] {
  const definition = node.definition;
  if (!definition) return [{ code: 'unknown_node_type', message: `"${node.type}" is not a node type this editor knows; it is kept as it is, but cannot run` }];
  const checked = checkNodeParams(definition, node.params).map((problem) => {
    const problemShown = shown(definition, problem);
    // A hidden field cannot show its problem: the node does, in its own words.
    if (problemShown.param === undefined || paramApplies(definition, problemShown.param, node.params)) return problemShown;
    const { param: _hidden, ...onNode } = problemShown;
    return onNode;
  });
  const marked = new Set(checked.map((p): string | undefined => ('param' in p ? p.param : undefined)));
  const beyondPack = packLimitProblems(node, packs).filter((p) => !marked.has(p.param));
  return [...checked, ...beyondPack.map((p) => ({ code: 'value_bigger_than_max', ...p }))];
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
