import type { Problem } from '../problem.js';

/** What reading a workflow file can find wrong, before any node type is looked at. */
export type WorkflowProblemCode =
  | 'invalid_json'
  | 'invalid_format'
  | 'unsupported_version'
  | 'invalid_structure'
  | 'unknown_field'
  | 'duplicate_node_id'
  | 'duplicate_key'
  | 'number_out_of_range'
  | 'too_deep'
  | 'too_many_nodes'
  | 'too_many_connections'
  | 'text_too_long'
  | 'data_uri_too_large';

export type WorkflowProblem = Problem<WorkflowProblemCode>;
