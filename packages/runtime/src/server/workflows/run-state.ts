import type { RunState } from '@sa3/nodes';
import type { RunRecord } from '../run-manager.js';
import { servedReport } from '../served-report.js';

export function runOutputUrl(runId: string, path: string): string {
  return `/api/runs/${runId}/outputs/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** A run as the workflow API answers it. */
export function runStateOf(run: RunRecord): RunState {
  const report = run.report ? servedReport(run.report) : null;
  return {
    id: run.id,
    status: run.status,
    createdAt: run.createdAt,
    startedAt: run.startedAt ?? null,
    finishedAt: run.finishedAt ?? null,
    events: run.events.length,
    report,
    outputs: (report?.outputs ?? []).map((o) => ({ ...o, url: runOutputUrl(run.id, o.path) })),
  };
}
