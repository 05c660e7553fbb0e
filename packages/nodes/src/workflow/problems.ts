/** What reading a workflow file can find wrong, before any node type is looked at. */
export type WorkflowProblemCode = 'invalid_json' | 'invalid_format' | 'unsupported_version' | 'invalid_structure' | 'unknown_field' | 'duplicate_node_id';

export interface WorkflowProblem {
  readonly code: WorkflowProblemCode;
  /** One sentence that names what is wrong and where. */
  readonly message: string;
  readonly node?: string;
  /** JSON pointer into the file. */
  readonly path?: string;
}
