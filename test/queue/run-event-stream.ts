import type { RunEvent } from '@sa3/nodes';

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
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let split: number;
      while ((split = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (!data) continue;
        const event = JSON.parse(data.slice(6)) as RunEvent;
        events.push(event);
        for (const waiter of [...waiters]) {
          if (!waiter.match(event)) continue;
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
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
