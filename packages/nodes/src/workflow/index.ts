export * from './types.js';
export type { WorkflowProblem, WorkflowProblemCode } from './problems.js';
export { serializeWorkflow, canonicalWorkflow, type ParamOrder } from './serialize.js';
export { parseWorkflow } from './parse.js';
export { duplicateIdProblems } from './duplicate-ids.js';
export { MAX_JSON_DEPTH, MAX_WORKFLOW_NODES } from './json-limits.js';
