import type { RunReport } from '../executor/index.js';
import type { Workflow } from '../workflow/index.js';

/** What the server puts on a pack's queue: the workflow with its seeds already resolved, so any re-run makes the same bytes. */
export interface RunJobData {
  readonly runId: string;
  readonly workflow: Workflow;
  readonly workflowName?: string;
}

/** What a worker hands back: the run's report (paths relative to the run's folder) and where each output file waits in Redis. */
export interface RunJobResult {
  readonly report: RunReport;
  readonly outputKeys: readonly string[];
  /** The worker that ran it (host:pid). */
  readonly worker: string;
}
