/** The run report is part of the HTTP contract in @sa3/nodes; the executor fills it in. */
export type { OutputSummary, NodeStatus, NodeReport, OutputFileReport, RunErrorReport, RunReport } from '@sa3/nodes';
