export * from './types.js';
export { serializeWorkflow, canonicalWorkflow } from './serialize.js';
export { parseWorkflow, WorkflowParseError } from './parse.js';
