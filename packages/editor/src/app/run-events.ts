import { isFinalRunEvent, parsePayload, runEventSchema, runEventTypes, type RunEvent } from '@sa3/nodes';
import { authorizedFetch } from './authorized-fetch.js';
import { openEventStream } from './event-stream.js';

export type { RunEvent } from '@sa3/nodes';

const eventNames: ReadonlySet<string> = new Set(runEventTypes);

function parseEvent(data: string, source: string): RunEvent {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    value = data;
  }
  return parsePayload(runEventSchema, value, source);
}

/**
 * Follows a run's event stream (GET /api/runs/:id/events) until its last event. A dropped
 * connection resumes from the last event id, so no event is lost or repeated; onFail hears when
 * the server refuses the stream or sends an event this editor cannot read (the stream then stops).
 */
export function followRun(runId: string, onEvent: (event: RunEvent) => void, onFail?: (error: Error) => void): { close(): void } {
  const path = `/api/runs/${encodeURIComponent(runId)}/events`;
  const stream = openEventStream(path, {
    fetch: authorizedFetch,
    ...(onFail ? { onFail } : {}),
    onMessage: (message) => {
      if (!eventNames.has(message.event)) return;
      let event: RunEvent;
      try {
        event = parseEvent(message.data, `GET ${path} (event ${message.id})`);
      } catch (error) {
        stream.close();
        onFail?.(error as Error);
        return;
      }
      if (isFinalRunEvent(event)) stream.close();
      onEvent(event);
    },
  });
  return stream;
}
