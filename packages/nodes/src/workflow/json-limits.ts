/** How deep a workflow file may nest arrays and objects; real files use about six levels. */
export const MAX_JSON_DEPTH = 64;
/** How many nodes a workflow may have; runs walk graphs without recursion, so this is about memory, not the stack. */
export const MAX_WORKFLOW_NODES = 100_000;
