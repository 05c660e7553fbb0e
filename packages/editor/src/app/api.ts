import type { Workflow } from '../workflow-json/index.js';
import { authorizedFetch } from './authorized-fetch.js';

/** The sa3 server's workflow API, as the app uses it (same origin, with the access token). */
export interface RunState {
  readonly id: string;
  readonly status: string;
  readonly report: RunReport | null;
}

export interface RunReport {
  readonly runId: string;
  readonly status: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly seeds?: Record<string, Record<string, number>>;
  readonly nodes?: {
    id: string;
    type: string;
    status: string;
    ms?: number;
    outputs?: Record<string, { type: string; seconds?: number; durationSeconds?: number; mime?: string; extension?: string }>;
  }[];
  readonly outputs?: { node: string; path: string; bytes: number; mime: string }[];
  readonly cacheHits?: number;
  readonly error?: { code: string; message: string; node?: string; param?: string; input?: string };
}

export interface ServerProblem {
  readonly code: string;
  readonly message: string;
  readonly node?: string;
  readonly param?: string;
  readonly input?: string;
}

export class SubmitError extends Error {
  constructor(
    message: string,
    readonly problems: readonly ServerProblem[],
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ExampleEntry {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly text: string;
}

export interface ModelEntry {
  readonly id: string;
  readonly title?: string;
  readonly objective?: string;
  readonly maxSeconds?: number;
}

async function json<T>(response: Response): Promise<T> {
  const body = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new SubmitError(
      (body as { detail?: string }).detail ?? `the server answered ${response.status}`,
      (body as { problems?: ServerProblem[] }).problems ?? [],
      response.status,
    );
  return body as T;
}

export const api = {
  submitRun: (workflow: Workflow) =>
    authorizedFetch('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workflow }) }).then((r) =>
      json<RunState>(r),
    ),
  cancelRun: (id: string) => authorizedFetch(`/api/runs/${encodeURIComponent(id)}/cancel`, { method: 'POST' }).then((r) => json<RunState>(r)),
  getRun: (id: string) => authorizedFetch(`/api/runs/${encodeURIComponent(id)}`).then((r) => json<RunState>(r)),
  examples: () => authorizedFetch('/api/examples').then((r) => json<ExampleEntry[]>(r)),
  models: () => authorizedFetch('/api/models').then((r) => json<ModelEntry[]>(r)),
  nodeOutputUrl: (run: string, node: string, output: string) =>
    `/api/runs/${encodeURIComponent(run)}/nodes/${encodeURIComponent(node)}/outputs/${encodeURIComponent(output)}`,
  runOutputUrl: (run: string, path: string) => `/api/runs/${encodeURIComponent(run)}/outputs/${path.split('/').map(encodeURIComponent).join('/')}`,
  /** A file of the server's, as a Blob (links cannot carry the access token). */
  blob: async (url: string) => {
    const response = await authorizedFetch(url);
    if (!response.ok) await json(response);
    return response.blob();
  },
};
