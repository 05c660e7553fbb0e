/** The canonical writer, shared with the runtime, so a file saved here and by `sa3` are the same bytes. */
export { serializeWorkflow, canonicalWorkflow } from '@sa3/nodes';
