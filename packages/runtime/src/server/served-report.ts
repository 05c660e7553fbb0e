import type { ServedRunReport } from '@sa3/nodes';
import type { RunEvent, RunReport } from '../executor/index.js';
import { scrubPaths } from './scrub-paths.js';

/** A run report as clients get it: no output's place on the server's disk, none in the error either. */
export function servedReport(report: RunReport | ServedRunReport): ServedRunReport {
  return {
    ...report,
    outputs: report.outputs.map(({ node, path, bytes, sha256, mime }) => ({ node, path, bytes, sha256, mime })),
    ...(report.error ? { error: { ...report.error, message: scrubPaths(report.error.message) } } : {}),
  };
}

/** A run event as clients get it: final events carry the served report, node errors name no server path. */
export function servedEvent(event: RunEvent): RunEvent {
  if ('report' in event) return { ...event, report: servedReport(event.report) };
  if (event.type === 'node-error') return { ...event, message: scrubPaths(event.message) };
  return event;
}
