import type { RunReport } from '../executor/index.js';
import type { Workflow } from '../workflow/index.js';

/** An uploaded file a job's workflow reads (`upload:<id>`), as the worker checks it once fetched. */
export interface JobInputFile {
  readonly id: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** How the job's files travel between the server and the worker that takes it (no shared folder is assumed). */
export interface JobFileTransfer {
  /** The server's base URL as workers reach it: inputs are fetched from it, outputs put to it. */
  readonly serverUrl: string;
  /** Good for this job only, until it ends. */
  readonly token: string;
  readonly inputs: readonly JobInputFile[];
}

/** What the server puts on a pack's queue: the workflow with its seeds already resolved, so any re-run makes the same bytes. */
export interface RunJobData {
  readonly runId: string;
  readonly workflow: Workflow;
  readonly workflowName?: string;
  /** Absent on jobs of servers that hand files over through Redis only. */
  readonly files?: JobFileTransfer;
  /** False: hand back no node previews (nobody plays them: a prediction). Absent: hand them back. */
  readonly nodePreviews?: false;
}

/** A node output's preview a worker put to the server (the audio the editor's players play): its index is its place in the list. */
export interface HandedPreview {
  readonly node: string;
  readonly output: string;
  readonly mime: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** The previews a worker handed back after a run succeeded, and, when it handed back none or not all, why. */
export interface HandedPreviews {
  readonly previews: readonly HandedPreview[];
  readonly skipped?: string;
}

/** What a worker hands back: the run's report (paths relative to the run's folder) and how its output files came back. */
export interface RunJobResult {
  readonly report: RunReport;
  /** Where each output file waits in Redis, in the report's order; empty when they were put to the server over HTTP. */
  readonly outputKeys: readonly string[];
  /** The worker that ran it (host:pid). */
  readonly worker: string;
  /** Absent from workers that hand back no previews. */
  readonly previews?: HandedPreviews;
}
