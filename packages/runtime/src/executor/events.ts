/** The events of a run are part of the HTTP contract in @sa3/nodes; the executor emits them. */
export type { RunEvent, RunEventBody, RunEventType, OutputSummary } from '@sa3/nodes';
