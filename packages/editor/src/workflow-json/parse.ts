import { duplicateIdProblems, parseWorkflow as readWorkflow, type Workflow, type WorkflowProblem } from '@sa3/nodes';

export class WorkflowParseError extends Error {
  override name = 'WorkflowParseError';

  constructor(readonly problems: readonly WorkflowProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/**
 * Reads a workflow file for the editor, refusing one with any structural problem the runtime
 * would refuse. Node types, params and wires are not judged here: unknown types become
 * placeholders, and the node views show param and wiring problems.
 */
export function parseWorkflow(text: string): Workflow {
  const { workflow, problems } = readWorkflow(text);
  const all = workflow ? [...problems, ...duplicateIdProblems(workflow.nodes)] : problems;
  if (!workflow || all.length > 0) throw new WorkflowParseError(all);
  return workflow;
}
