import type { RunReport } from './api.js';

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

const TYPES = ['run-start', 'node-start', 'node-progress', 'node-cached', 'node-done', 'node-error', 'run-done', 'run-error', 'run-cancelled'] as const;
const FINAL = new Set(['run-done', 'run-error', 'run-cancelled']);

/**
 * Follows a run's event stream until its last event. EventSource resumes after a dropped
 * connection by itself, sending Last-Event-ID, so no event is lost or repeated.
 */
export function followRun(runId: string, onEvent: (event: RunEvent) => void): { close(): void } {
  const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
  for (const type of TYPES) {
    source.addEventListener(type, (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as RunEvent;
      if (FINAL.has(event.type)) source.close();
      onEvent(event);
    });
  }
  return { close: () => source.close() };
}
