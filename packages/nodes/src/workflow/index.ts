export * from './types.js';
export type { WorkflowProblem, WorkflowProblemCode } from './problems.js';
export { serializeWorkflow, canonicalWorkflow, type ParamOrder } from './serialize.js';
export { parseWorkflow } from './parse.js';
export { duplicateIdProblems } from './duplicate-ids.js';
export { MAX_JSON_DEPTH, MAX_WORKFLOW_NODES, MAX_WORKFLOW_CONNECTIONS, MAX_TEXT_PARAM_CHARS, MAX_DATA_URI_CHARS } from './json-limits.js';
export { firstTooDeep, type TooDeep } from './json-depth.js';
export { oversizedParamProblems } from './param-size.js';
