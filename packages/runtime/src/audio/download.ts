import { open } from 'node:fs/promises';
import { NodeError, cancelledError } from '@sa3/nodes';
import { networkTimeoutOf, timedFetch, type NetTimeouts } from '../files/index.js';
import { showSource, sourceError } from './source-errors.js';

export interface DownloadLimits {
  /** The whole download. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** For the answer to start and between pieces of the body; default SA3_CONNECT_TIMEOUT_MS / SA3_IDLE_TIMEOUT_MS, else 30 s / 60 s. */
  readonly timeouts?: Partial<NetTimeouts>;
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection broke off',
};

/**
 * Streams an http(s) URL into `target`. The timeout covers the whole download, a server that does
 * not answer (connect timeout) or stops sending (idle timeout) is given up sooner, and the byte cap
 * is enforced while streaming, so a server that lies about (or omits) Content-Length cannot exceed it.
 */
export async function downloadToFile(url: string, target: string, limits: DownloadLimits, signal: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const combined = AbortSignal.any([signal, timeout]);
  const explain = (error: unknown): Error => {
    if (error instanceof NodeError) return error;
    if (signal.aborted) return cancelledError();
    const stalled = networkTimeoutOf(error);
    if (stalled) return sourceError('url_timeout', `could not download ${showSource(url)}: ${stalled.message}`, error);
    if (timeout.aborted) {
      return sourceError('url_timeout', `downloading ${showSource(url)} took longer than ${limits.timeoutMs / 1000} s and was stopped`, error);
    }
    return sourceError('url_unreachable', `could not download ${showSource(url)}: ${networkReason(error)}`, error);
  };
  const tooLarge = () => sourceError('url_too_large', `the file at ${showSource(url)} is larger than the download limit of ${formatBytes(limits.maxBytes)}`);

  let response: Response;
  try {
    response = await timedFetch(url, { redirect: 'follow' }, { signal: combined, ...(limits.timeouts ? { timeouts: limits.timeouts } : {}) });
  } catch (error) {
    throw explain(error);
  }
  if (response.status >= 400) {
    await response.body?.cancel().catch(() => undefined);
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw sourceError('url_http_error', `downloading ${showSource(url)} failed: the server answered HTTP ${status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }

  const file = await open(target, 'w');
  try {
    let received = 0;
    if (response.body) {
      // Leaving the loop early (cap exceeded, abort) cancels the body and closes the connection.
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        received += chunk.byteLength;
        if (received > limits.maxBytes) throw tooLarge();
        await file.write(chunk);
      }
    }
  } catch (error) {
    throw explain(error);
  } finally {
    await file.close();
  }
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && NETWORK_REASONS[code]) return `${NETWORK_REASONS[code]} (${code})`;
  if (code) return code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
