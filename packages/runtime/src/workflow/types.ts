export { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Position, type Workflow, type WorkflowConnection, type WorkflowNode } from '@sa3/nodes';
