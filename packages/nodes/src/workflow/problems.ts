import type { Problem } from '../problem.js';

/** What reading a workflow file can find wrong, before any node type is looked at. */
export type WorkflowProblemCode = 'invalid_json' | 'invalid_format' | 'unsupported_version' | 'invalid_structure' | 'unknown_field' | 'duplicate_node_id';

export type WorkflowProblem = Problem<WorkflowProblemCode>;
