import { errorBodySchema } from '@sa3/nodes';
import { SseParser, type SseMessage } from './sse-parser.js';

export interface EventStreamOptions {
  /** Called with each event, in order; may call close(). */
  readonly onMessage: (message: SseMessage) => void;
  /** Called once when the server refuses the stream (not 200 text/event-stream); no retry follows. */
  readonly onFail?: (error: Error) => void;
  readonly fetch?: typeof fetch;
  /** Wait before reconnecting, unless the server sends `retry:`. */
  readonly retryMs?: number;
}

/**
 * EventSource over fetch, so requests can carry headers (the access token): reads the stream,
 * and when the connection drops reconnects with Last-Event-ID after the retry delay, so no
 * event is lost or repeated. Like EventSource, an HTTP error ends it for good.
 */
export function openEventStream(url: string, options: EventStreamOptions): { close(): void } {
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  const abort = new AbortController();
  let closed = false;
  let lastEventId = '';
  let retryMs = options.retryMs ?? 3000;
  const close = (): void => {
    closed = true;
    abort.abort();
  };

  const connect = async (): Promise<'reconnect' | 'stop'> => {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    let response: Response;
    try {
      response = await fetcher(url, { headers, cache: 'no-store', signal: abort.signal });
    } catch {
      return 'reconnect';
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
      const refusal = errorBodySchema.safeParse(await response.json().catch(() => undefined));
      if (!closed) options.onFail?.(new Error(refusal.success ? refusal.data.detail : `the event stream answered ${response.status}`));
      return 'stop';
    }
    const parser = new SseParser(lastEventId);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        const messages = parser.push(done ? decoder.decode() : decoder.decode(value, { stream: true }));
        lastEventId = parser.lastEventId;
        retryMs = parser.retryMs ?? retryMs;
        for (const message of messages) {
          if (closed) return 'stop';
          options.onMessage(message);
        }
        if (done) return 'reconnect';
      }
    } catch {
      return 'reconnect';
    } finally {
      reader.releaseLock();
    }
  };

  void (async () => {
    while (!closed && (await connect()) === 'reconnect' && !closed) {
      await new Promise<void>((resume) => {
        const timer = setTimeout(resume, retryMs);
        abort.signal.addEventListener('abort', () => (clearTimeout(timer), resume()), { once: true });
      });
    }
  })();
  return { close };
}
