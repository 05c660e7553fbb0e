import {
  errorBodySchema,
  exampleListSchema,
  modelListSchema,
  loraListSchema,
  parsePayload,
  PayloadError,
  runBatchSchema,
  runStateSchema,
  type PayloadSchema,
  type Problem,
  type RunState,
} from '@sa3/nodes';
import type { Workflow } from '../workflow-json/index.js';
import { authorizedFetch } from './authorized-fetch.js';

export type { ExampleEntry, ModelEntry, ServedRunReport, RunState } from '@sa3/nodes';

/**
 * The server did not do what was asked: it refused (`status`, with the workflow's `problems`
 * when it refused a workflow), or answered with something this editor cannot read.
 */
export class SubmitError extends Error {
  constructor(
    message: string,
    readonly problems: readonly Problem[],
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  return response.json().catch(() => undefined);
}

async function refusal(response: Response): Promise<SubmitError> {
  const body = errorBodySchema.safeParse(await bodyOf(response));
  return body.success
    ? new SubmitError(body.data.detail, body.data.problems ?? [], response.status)
    : new SubmitError(`the server answered ${response.status}`, [], response.status);
}

/** The body of a successful answer, checked against the contract; a refusal or an unreadable answer throws SubmitError. */
async function read<T>(response: Response, schema: PayloadSchema<T>, source: string): Promise<T> {
  if (!response.ok) throw await refusal(response);
  const body = await bodyOf(response);
  try {
    return parsePayload(schema, body, source);
  } catch (error) {
    if (error instanceof PayloadError) throw new SubmitError(error.message, [], response.status, { cause: error });
    throw error;
  }
}

const runPath = (id: string): string => `/api/runs/${encodeURIComponent(id)}`;

/** The sa3 server's workflow API, as the app uses it (same origin, with the access token). */
export const api = {
  submitRun: async (workflow: Workflow) => {
    const response = await authorizedFetch('/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflow }),
    });
    return read(response, runStateSchema, 'POST /api/runs');
  },
  /** Run xN: the server queues `repeat` runs, seeded per the workflow's seed controls. */
  submitBatch: async (workflow: Workflow, repeat: number) => {
    const response = await authorizedFetch('/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflow, repeat }),
    });
    return (await read(response, runBatchSchema, 'POST /api/runs')).runs;
  },
  /** The server's waiting and running runs, in the order they run (GET /api/runs lists every run it holds, newest first). */
  liveRuns: async (): Promise<RunState[]> => {
    const runs = await read(await authorizedFetch('/api/runs'), runStateSchema.array(), 'GET /api/runs');
    const order = (run: RunState): number => (run.status === 'running' ? 0 : 1);
    return runs
      .filter((run) => run.status === 'queued' || run.status === 'running')
      .sort((a, b) => order(a) - order(b) || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  },
  cancelRun: async (id: string) => read(await authorizedFetch(`${runPath(id)}/cancel`, { method: 'POST' }), runStateSchema, `POST ${runPath(id)}/cancel`),
  getRun: async (id: string) => read(await authorizedFetch(runPath(id)), runStateSchema, `GET ${runPath(id)}`),
  examples: async () => read(await authorizedFetch('/api/examples'), exampleListSchema, 'GET /api/examples'),
  models: async () => read(await authorizedFetch('/api/models'), modelListSchema, 'GET /api/models'),
  loras: async () => read(await authorizedFetch('/api/loras'), loraListSchema, 'GET /api/loras'),
  nodeOutputUrl: (run: string, node: string, output: string) => `${runPath(run)}/nodes/${encodeURIComponent(node)}/outputs/${encodeURIComponent(output)}`,
  runOutputUrl: (run: string, path: string) => `${runPath(run)}/outputs/${path.split('/').map(encodeURIComponent).join('/')}`,
  /** A file of the server's, as a Blob (links cannot carry the access token). */
  blob: async (url: string) => {
    const response = await authorizedFetch(url);
    if (!response.ok) throw await refusal(response);
    return response.blob();
  },
};
