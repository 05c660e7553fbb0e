import type { RunEvent } from '@sa3/nodes';
import { sseEvents } from '../server/read-sse.js';

/** A run's events over SSE as they arrive: `until` waits for the first that matches; `all` for the stream's end. */
export interface RunEventStream {
  readonly events: RunEvent[];
  until(match: (event: RunEvent) => boolean): Promise<RunEvent>;
  readonly ended: Promise<RunEvent[]>;
}

export async function openRunEvents(url: string, runId: string): Promise<RunEventStream> {
  const response = await fetch(`${url}/api/runs/${runId}/events`);
  if (!response.ok) throw new Error(`GET /api/runs/${runId}/events answered ${response.status}`);
  const events: RunEvent[] = [];
  const waiters: { match: (event: RunEvent) => boolean; resolve: (event: RunEvent) => void }[] = [];
  const ended = (async () => {
    for await (const raw of sseEvents(response)) {
      const event = JSON.parse(raw.data) as RunEvent;
      events.push(event);
      for (const waiter of [...waiters]) {
        if (!waiter.match(event)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
    return events;
  })();
  return {
    events,
    ended,
    until: (match) =>
      new Promise((resolve, reject) => {
        const earlier = events.find(match);
        if (earlier) return resolve(earlier);
        waiters.push({ match, resolve });
        void ended.then(() => reject(new Error(`the run's events ended without the one awaited: ${events.map((e) => e.type).join(', ')}`)));
      }),
  };
}
