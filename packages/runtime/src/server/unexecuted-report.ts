import type { RunErrorReport, RunReport } from '../executor/index.js';
import { sha256Hex } from '../files/index.js';
import { serializeWorkflow, type Workflow } from '../workflow/index.js';

interface UnexecutedRun {
  readonly id: string;
  readonly workflow: Workflow;
  readonly createdAt: string;
  readonly startedAt?: string;
}

/**
 * The report of a run the executor did not see through: cancelled while it waited for its turn,
 * or failed before the executor could report it. Its last event carries a report like any run's.
 */
export function unexecutedRunReport(run: UnexecutedRun, status: 'cancelled' | 'failed', error?: RunErrorReport): RunReport {
  const startedAt = run.startedAt ?? run.createdAt;
  const finished = new Date();
  return {
    format: 'sa3-run-report',
    version: 1,
    runId: run.id,
    workflow: { ...(run.workflow.name ? { name: run.workflow.name } : {}), sha256: sha256Hex(serializeWorkflow(run.workflow)) },
    status,
    startedAt,
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - Date.parse(startedAt),
    seeds: {},
    nodes: [],
    outputs: [],
    cacheHits: 0,
    ...(error ? { error } : {}),
  };
}
