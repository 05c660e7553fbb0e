import type { ParamProblemCode, Problem as SharedProblem, WorkflowProblemCode } from '@sa3/nodes';

/**
 * The problem vocabulary: ComfyUI's where it has a word for it
 * (required_input_missing, return_type_mismatch, value_smaller_than_min, ...), ours beyond.
 */
export type ProblemCode =
  | ParamProblemCode
  | WorkflowProblemCode
  | 'unknown_node_type'
  | 'type_version_too_new'
  | 'migration_failed'
  | 'unknown_param'
  | 'invalid_range'
  | 'missing_node'
  | 'unknown_output'
  | 'unknown_input'
  | 'return_type_mismatch'
  | 'input_already_connected'
  | 'required_input_missing'
  | 'cycle'
  | 'output_path_escapes'
  | 'no_outputs';

export type Problem = SharedProblem<ProblemCode>;

export class WorkflowInvalidError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(`the workflow has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map((p) => p.message).join(' ')}`);
    this.name = 'WorkflowInvalidError';
    this.problems = problems;
  }
}
