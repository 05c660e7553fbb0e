/** How long a network read may wait: for the answer to start, and for the next bytes once it has. */
export interface NetTimeouts {
  /** From the request until the response headers have arrived (connecting, TLS and the server's first answer). */
  readonly connectMs: number;
  /** Between two pieces of the body once it has started; a server that sends nothing this long is given up. */
  readonly idleMs: number;
}

export const DEFAULT_NET_TIMEOUTS: NetTimeouts = { connectMs: 30_000, idleMs: 60_000 };

function positiveMs(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && text !== '' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * The timeouts to use: those given, else SA3_CONNECT_TIMEOUT_MS and SA3_IDLE_TIMEOUT_MS from the
 * environment, else 30 s to connect and 60 s of silence.
 */
export function netTimeouts(given: Partial<NetTimeouts> = {}, env: NodeJS.ProcessEnv = process.env): NetTimeouts {
  return {
    connectMs: given.connectMs ?? positiveMs(env.SA3_CONNECT_TIMEOUT_MS) ?? DEFAULT_NET_TIMEOUTS.connectMs,
    idleMs: given.idleMs ?? positiveMs(env.SA3_IDLE_TIMEOUT_MS) ?? DEFAULT_NET_TIMEOUTS.idleMs,
  };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** A network read given up on: no answer in time (connect) or no bytes for too long (idle). */
export class NetworkTimeoutError extends Error {
  /** What the server did not do: "did not answer within 2 s", "sent nothing for 2 s in the middle of its answer". */
  readonly what: string;
  constructor(
    readonly phase: 'connect' | 'idle',
    /** host:port of the server that went quiet. */
    readonly host: string,
    readonly ms: number,
  ) {
    const what = phase === 'connect' ? `did not answer within ${seconds(ms)}` : `sent nothing for ${seconds(ms)} in the middle of its answer`;
    super(`${phase} timeout: ${host} ${what}`);
    this.what = what;
    this.name = 'NetworkTimeoutError';
  }
}

/** The NetworkTimeoutError behind an error (or its causes), if there is one. */
export function networkTimeoutOf(error: unknown): NetworkTimeoutError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof NetworkTimeoutError) return current;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return undefined;
}

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  } catch {
    return url;
  }
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * fetch() that gives up with a NetworkTimeoutError when the answer does not start within
 * `connectMs` or the body then stops for `idleMs`; the connection is closed either way. The
 * caller's signal still cancels, with its own reason. The idle clock runs only while the caller
 * is reading, so a slow consumer is never mistaken for a stalled server.
 */
export async function timedFetch(
  url: string,
  init: RequestInit = {},
  options: { timeouts?: Partial<NetTimeouts>; signal?: AbortSignal } = {},
): Promise<Response> {
  const timeouts = netTimeouts(options.timeouts);
  const controller = new AbortController();
  const caller = options.signal;
  caller?.throwIfAborted();
  const onCallerAbort = (): void => controller.abort(caller?.reason);
  caller?.addEventListener('abort', onCallerAbort, { once: true });
  const detach = (): void => caller?.removeEventListener('abort', onCallerAbort);
  let timedOut: NetworkTimeoutError | null = null;
  const giveUp = (phase: 'connect' | 'idle', host: string, ms: number): void => {
    timedOut = new NetworkTimeoutError(phase, host, ms);
    controller.abort(timedOut);
  };

  const connectTimer = setTimeout(() => giveUp('connect', hostOf(url), timeouts.connectMs), timeouts.connectMs);
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: controller.signal });
  } catch (error) {
    detach();
    throw timedOut ?? error;
  } finally {
    clearTimeout(connectTimer);
  }
  if (!response.body || NULL_BODY_STATUSES.has(response.status)) {
    detach();
    return response;
  }

  const answeredBy = hostOf(response.url || url);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(stream) {
      const idleTimer = setTimeout(() => giveUp('idle', answeredBy, timeouts.idleMs), timeouts.idleMs);
      try {
        const { done, value } = await reader.read();
        if (done) {
          detach();
          stream.close();
        } else stream.enqueue(value);
      } catch (error) {
        detach();
        throw timedOut ?? error;
      } finally {
        clearTimeout(idleTimer);
      }
    },
    async cancel(reason) {
      detach();
      await reader.cancel(reason).catch(() => undefined);
    },
  });
  const answer = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  // The final URL (after redirects), as callers of fetch() expect to find it.
  Object.defineProperty(answer, 'url', { value: response.url });
  return answer;
}
