import { describe, expect, it } from 'vitest';
import { openEventStream } from '../src/app/event-stream.js';
import type { SseMessage } from '../src/app/sse-parser.js';

const SSE = { 'content-type': 'text/event-stream; charset=utf-8' };

/** A response whose body sends these chunks, then ends (a dropped connection, unless the run is over). */
function stream(chunks: readonly string[]): Response {
  const bytes = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(bytes.encode(chunk));
        controller.close();
      },
    }),
    { headers: SSE },
  );
}

/** A fetch that answers each connection with the next response and records the request headers. */
function server(responses: (() => Response)[]): { fetch: typeof fetch; requests: Headers[] } {
  const requests: Headers[] = [];
  return {
    requests,
    fetch: async (_input, init) => {
      requests.push(new Headers(init?.headers));
      const next = responses.shift();
      if (!next) return new Promise<Response>(() => undefined); // holds the last connection open
      return next();
    },
  };
}

function collect(url: string, fake: ReturnType<typeof server>, until: (m: SseMessage) => boolean) {
  const messages: SseMessage[] = [];
  const failures: Error[] = [];
  return new Promise<{ messages: SseMessage[]; failures: Error[] }>((done) => {
    const source = openEventStream(url, {
      fetch: fake.fetch,
      retryMs: 5,
      onMessage: (m) => {
        messages.push(m);
        if (until(m)) {
          source.close();
          done({ messages, failures });
        }
      },
      onFail: (e) => {
        failures.push(e);
        done({ messages, failures });
      },
    });
  });
}

describe('the fetch-based event stream', () => {
  it('reconnects after a dropped connection with Last-Event-ID, losing and repeating nothing', async () => {
    const fake = server([
      () => stream([': sa3 run events\n\n', 'id: 1\nevent: run-start\ndata: {"seq":1}\n\n', 'id: 2\nevent: node-st']),
      () => stream(['id: 2\nevent: node-start\ndata: {"seq":2}\n\n', ': keep-alive\n\n', 'id: 3\nevent: run-done\ndata: {"seq":3}\n\n']),
    ]);
    const { messages, failures } = await collect('/api/runs/r1/events', fake, (m) => m.event === 'run-done');
    expect(messages.map((m) => [m.id, m.event])).toEqual([
      ['1', 'run-start'],
      ['2', 'node-start'],
      ['3', 'run-done'],
    ]);
    expect(failures).toEqual([]);
    expect(fake.requests[0]!.get('last-event-id')).toBeNull();
    expect(fake.requests[1]!.get('last-event-id')).toBe('1');
    expect(fake.requests[0]!.get('accept')).toBe('text/event-stream');
  });

  it('reconnects after a network error, and honours the retry the server asks for', async () => {
    let calls = 0;
    const fake = server([
      () => stream(['retry: 1\nid: 4\ndata: a\n\n']),
      () => {
        calls++;
        throw new TypeError('Failed to fetch');
      },
      () => stream(['id: 5\ndata: b\n\n']),
    ]);
    const { messages } = await collect('/events', fake, (m) => m.data === 'b');
    expect(messages.map((m) => m.data)).toEqual(['a', 'b']);
    expect(calls).toBe(1);
    expect(fake.requests.map((h) => h.get('last-event-id'))).toEqual([null, '4', '4']);
  });

  it('stops for good when the server refuses the stream, with its reason', async () => {
    const fake = server([
      () => new Response(JSON.stringify({ detail: 'this server needs a token' }), { status: 401, headers: { 'content-type': 'application/json' } }),
    ]);
    const { messages, failures } = await collect('/events', fake, () => true);
    expect(messages).toEqual([]);
    expect(failures.map((e) => e.message)).toEqual(['this server needs a token']);
    await new Promise((r) => setTimeout(r, 30));
    expect(fake.requests.length).toBe(1);
  });

  it('delivers nothing more once closed from inside a message', async () => {
    const fake = server([() => stream(['data: 1\n\ndata: 2\n\n'])]);
    const { messages } = await collect('/events', fake, () => true);
    await new Promise((r) => setTimeout(r, 30));
    expect(messages.map((m) => m.data)).toEqual(['1']);
    expect(fake.requests.length).toBe(1);
  });
});
