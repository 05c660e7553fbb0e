export * from './types.js';
export { serializeWorkflow, canonicalWorkflow, type ParamOrder } from './serialize.js';
