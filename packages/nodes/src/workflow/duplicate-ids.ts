import type { WorkflowProblem } from './problems.js';
import type { WorkflowNode } from './types.js';

/** One problem for each node whose id an earlier node already has. */
export function duplicateIdProblems(nodes: readonly WorkflowNode[]): WorkflowProblem[] {
  const seen = new Set<string>();
  const problems: WorkflowProblem[] = [];
  for (const node of nodes) {
    if (seen.has(node.id)) problems.push({ code: 'duplicate_node_id', message: `two nodes have the id "${node.id}"; ids must be unique`, node: node.id });
    seen.add(node.id);
  }
  return problems;
}
