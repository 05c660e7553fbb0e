import type { RunState } from '@sa3/nodes';
import type { RunRecord } from '../run-manager.js';
import { servedReport } from '../served-report.js';

export function runOutputUrl(runId: string, path: string): string {
  return `/api/runs/${runId}/outputs/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** A run as the workflow API answers it. */
export function runStateOf(run: RunRecord): RunState {
  return {
    id: run.id,
    status: run.status,
    createdAt: run.createdAt,
    startedAt: run.startedAt ?? null,
    finishedAt: run.finishedAt ?? null,
    events: run.events.length,
    report: run.report ? servedReport(run.report) : null,
    outputs: (run.report?.outputs ?? []).map((o) => ({
      node: o.node,
      path: o.path,
      bytes: o.bytes,
      sha256: o.sha256,
      mime: o.mime,
      url: runOutputUrl(run.id, o.path),
    })),
  };
}
