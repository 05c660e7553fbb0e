/** The workflow file format v1: one definition, shared with the runtime through @sa3/nodes. */
export { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Position, type Workflow, type WorkflowConnection, type WorkflowNode } from '@sa3/nodes';
