export { serializeWorkflow, canonicalWorkflow } from '@sa3/nodes';
