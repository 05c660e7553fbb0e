import { networkTimeoutOf, timedFetch, type NetTimeouts, type NetworkTimeoutError } from '../files/index.js';
import { PackError } from '../pack-format/index.js';

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

export interface HubSettings {
  /** Default HF_ENDPOINT or https://huggingface.co. */
  readonly endpoint?: string;
  /** Default HF_TOKEN; sent as a bearer token when set. */
  readonly token?: string;
  /** For an answer to start and between pieces of it; default SA3_CONNECT_TIMEOUT_MS / SA3_IDLE_TIMEOUT_MS, else 30 s / 60 s. */
  readonly timeouts?: Partial<NetTimeouts>;
}

const networkCauses: Readonly<Record<string, string>> = {
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ENETDOWN: 'network down',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/** The code of a network failure behind fetch's "fetch failed" (or of a failing body stream), if there is one. */
export function networkCause(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code && networkCauses[code]) return networkCauses[code];
    current = (current as Error & { cause?: unknown }).cause;
  }
  return undefined;
}

/** The innermost message of an error and its causes ("bad port" rather than "fetch failed"). */
function innermostMessage(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    message = current.message || message;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return message;
}

/** Hugging Face's resolve and tree endpoints, with the one-sentence errors a pull reports. */
export class HubClient {
  readonly endpoint: string;
  private readonly token: string | undefined;
  private readonly timeouts: Partial<NetTimeouts>;

  constructor(settings: HubSettings = {}) {
    this.endpoint = (settings.endpoint ?? (process.env.HF_ENDPOINT || DEFAULT_HF_ENDPOINT)).replace(/\/+$/, '');
    this.token = settings.token ?? (process.env.HF_TOKEN || undefined);
    this.timeouts = settings.timeouts ?? {};
  }

  /** "huggingface.co", or the mirror's host and that it came from HF_ENDPOINT. */
  get hostDescription(): string {
    const host = new URL(this.endpoint).host;
    return this.endpoint === DEFAULT_HF_ENDPOINT ? host : `${host} (HF_ENDPOINT)`;
  }

  resolveUrl(repo: string, revision: string, path: string): string {
    return `${this.endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  revisionUrl(repo: string, revision: string): string {
    return `${this.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
  }

  /**
   * The commit a branch or tag points at now, so every file of a pull comes from one state of
   * the repo however long it takes. A mirror that answers without a commit id keeps the name.
   */
  async commitOf(repo: string, revision: string, signal?: AbortSignal): Promise<string> {
    const what = `the revision ${revision} of ${repo}`;
    const response = await this.get(this.revisionUrl(repo, revision), {
      repo,
      what,
      missing: () => `there is no repository ${repo} (or no revision ${revision}) on ${this.hostDescription}`,
      ...(signal ? { signal } : {}),
    });
    const body = (await response.json().catch((error: unknown) => {
      if (signal?.aborted || networkTimeoutOf(error)) throw this.bodyError(error, what);
      return null;
    })) as { sha?: unknown } | null;
    return typeof body?.sha === 'string' && /^[0-9a-f]{40}$/.test(body.sha) ? body.sha : revision;
  }

  treeUrl(repo: string, revision: string, dir: string): string {
    const folder = dir ? `/${dir.split('/').map(encodeURIComponent).join('/')}` : '';
    return `${this.endpoint}/api/models/${repo}/tree/${encodeURIComponent(revision)}${folder}?recursive=true`;
  }

  offlineError(cause: string): PackError {
    return new PackError(
      'offline',
      `cannot reach ${this.hostDescription}: you seem to be offline (${cause}); connect and pull again, or download the files by hand and run "sa3 models import DIR"`,
    );
  }

  /** The server that went quiet: the hub as hostDescription names it, or the host it redirected to. */
  private quietHost(timeout: NetworkTimeoutError): string {
    return timeout.host === new URL(this.endpoint).host ? this.hostDescription : timeout.host;
  }

  /** The sentence for a read of `what` given up on: no answer in time, or no bytes for too long. */
  timeoutError(timeout: NetworkTimeoutError, what: string): PackError {
    return new PackError(
      timeout.phase === 'connect' ? 'offline' : 'download_failed',
      `${this.quietHost(timeout)} ${timeout.what} (${timeout.phase} timeout) when asked for ${what}; pull again later, or download the files by hand and run "sa3 models import DIR"`,
    );
  }

  /** A body read that failed: the timeout sentence when the server went quiet, else the error itself. */
  bodyError(error: unknown, what: string): unknown {
    const timeout = networkTimeoutOf(error);
    return timeout ? this.timeoutError(timeout, what) : error;
  }

  gatedError(repo: string): PackError {
    const refused = this.token ? ' (the HF_TOKEN sent was refused: accept the licence with the account the token belongs to)' : '';
    return new PackError('gated', `the repository ${repo} is gated: accept its licence on huggingface.co/${repo} and set HF_TOKEN${refused}`);
  }

  /**
   * GET with the token and any extra headers. Throws the one-sentence PackError for a network
   * failure, 401/403 and any other non-success status; `missing` words the 404.
   */
  async get(
    url: string,
    options: { repo: string; missing: () => string; headers?: Record<string, string>; signal?: AbortSignal; what?: string },
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await timedFetch(url, { headers, redirect: 'follow' }, { timeouts: this.timeouts, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const timeout = networkTimeoutOf(error);
      if (timeout) throw this.timeoutError(timeout, options.what ?? `the files of ${options.repo}`);
      throw this.offlineError(networkCause(error) ?? innermostMessage(error));
    }
    if (response.ok) return response;
    await response.body?.cancel().catch(() => undefined);
    const errorCode = response.headers.get('x-error-code');
    if (response.status === 404 || errorCode === 'EntryNotFound' || errorCode === 'RevisionNotFound') throw new PackError('remote_missing', options.missing());
    if (response.status === 401 || response.status === 403) throw this.gatedError(options.repo);
    throw new PackError('http_error', `${this.hostDescription} answered ${response.status} ${response.statusText} for ${url}; try again later`);
  }
}
