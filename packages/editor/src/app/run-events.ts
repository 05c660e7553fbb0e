import type { RunReport } from './api.js';
import { authorizedFetch } from './authorized-fetch.js';
import { openEventStream } from './event-stream.js';

/** The executor's events as they arrive over SSE (GET /api/runs/:id/events). */
export type RunEvent = { readonly runId: string; readonly seq: number } & (
  | { readonly type: 'run-start'; readonly order: readonly string[] }
  | { readonly type: 'node-start'; readonly node: string }
  | { readonly type: 'node-progress'; readonly node: string; readonly step: number; readonly total: number; readonly phase?: string }
  | { readonly type: 'node-cached'; readonly node: string }
  | { readonly type: 'node-done'; readonly node: string; readonly ms: number }
  | { readonly type: 'node-error'; readonly node: string; readonly code: string; readonly message: string; readonly param?: string; readonly input?: string }
  | { readonly type: 'run-done' | 'run-error' | 'run-cancelled'; readonly report: RunReport | null }
);

const TYPES = new Set(['run-start', 'node-start', 'node-progress', 'node-cached', 'node-done', 'node-error', 'run-done', 'run-error', 'run-cancelled']);
const FINAL = new Set(['run-done', 'run-error', 'run-cancelled']);

/**
 * Follows a run's event stream until its last event. A dropped connection resumes from the
 * last event id, so no event is lost or repeated; onFail hears when the server refuses it.
 */
export function followRun(runId: string, onEvent: (event: RunEvent) => void, onFail?: (error: Error) => void): { close(): void } {
  const stream = openEventStream(`/api/runs/${encodeURIComponent(runId)}/events`, {
    fetch: authorizedFetch,
    ...(onFail ? { onFail } : {}),
    onMessage: (message) => {
      if (!TYPES.has(message.event)) return;
      const event = JSON.parse(message.data) as RunEvent;
      if (FINAL.has(event.type)) stream.close();
      onEvent(event);
    },
  });
  return stream;
}
