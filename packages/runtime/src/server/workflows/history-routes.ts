import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { DeletedTake, ErrorBody, HistoryPage, Take, TakeDetail } from '@sa3/nodes';
import type { RunArchive } from '../run-archive.js';
import { refuse } from './error-reply.js';
import { takeOf } from './take.js';

export interface HistoryRoutesOptions {
  readonly archive: RunArchive;
  /** After a take is deleted (the journal forgets an interrupted run, so a restart does not list it again). */
  readonly onDeleted?: (id: string) => Promise<void>;
}

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

/** `limit` as given in the query: a whole number 1..100, or 20 when absent; a sentence otherwise. */
function pageLimit(text: string | undefined): number | string {
  if (text === undefined || text === '') return DEFAULT_PAGE;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= MAX_PAGE ? n : `limit must be a whole number from 1 to ${MAX_PAGE}, got "${text}"`;
}

/** The persisted runs (takes): list newest first with a cursor, one with its workflow, pin, delete, download an output under a meaningful name. */
export function registerHistoryRoutes(app: FastifyInstance, options: HistoryRoutesOptions): void {
  const { archive } = options;
  const { store } = archive;
  const noTake = (id: string): string => `there is no stored run "${id}" in the history`;

  app.get<{ Querystring: { limit?: string; cursor?: string }; Reply: HistoryPage | ErrorBody }>('/api/history', async (req, reply) => {
    const limit = pageLimit(req.query.limit);
    if (typeof limit === 'string') return refuse(reply, 400, limit);
    // Runs that have ended are in the store before their take is listed.
    await store.settled();
    const page = await store.list({ limit, ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}) });
    if (!page) return refuse(reply, 400, 'cursor is not one this history gave out; start again without it');
    return {
      takes: page.entries.map(takeOf),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      ...(archive.lastProblem ? { problem: archive.lastProblem } : {}),
    };
  });

  app.get<{ Params: { id: string }; Reply: TakeDetail | ErrorBody }>('/api/history/:id', async (req, reply) => {
    await store.settled();
    const entry = await store.get(req.params.id);
    if (!entry) return refuse(reply, 404, noTake(req.params.id));
    return { ...takeOf(entry), workflow: await store.workflowOf(entry.row.id), report: entry.run?.report ?? null };
  });

  app.post<{ Params: { id: string }; Reply: Take | ErrorBody }>('/api/history/:id/pin', async (req, reply) => {
    const pinned = (req.body as { pinned?: unknown } | null)?.pinned;
    if (typeof pinned !== 'boolean') return refuse(reply, 422, 'the body must be { "pinned": true } or { "pinned": false }');
    await store.settled();
    if (!store.pin(req.params.id, pinned)) return refuse(reply, 404, noTake(req.params.id));
    return takeOf((await store.get(req.params.id))!);
  });

  app.delete<{ Params: { id: string }; Reply: DeletedTake | ErrorBody }>('/api/history/:id', async (req, reply) => {
    await store.settled();
    if (!(await store.delete(req.params.id))) return refuse(reply, 404, noTake(req.params.id));
    await options.onDeleted?.(req.params.id);
    return { id: req.params.id, deleted: true as const };
  });

  app.get<{ Params: { id: string; '*': string } }>('/api/history/:id/outputs/*', async (req, reply) => {
    await store.settled();
    const entry = await store.get(req.params.id);
    if (!entry) return refuse(reply, 404, noTake(req.params.id));
    const output = req.params['*'];
    const path = store.outputPath(entry, output);
    if (!path) return refuse(reply, 404, `stored run ${entry.row.id} has no output "${output}"`);
    const missing = entry.missingOutputs.get(output);
    if (missing) return refuse(reply, 410, missing);
    const stored = entry.run!.outputs.find((o) => o.output === output)!;
    const info = await stat(path);
    return reply
      .header('content-type', stored.mime)
      .header('content-length', info.size)
      .header('content-disposition', `attachment; filename="${stored.fileName}"`)
      .send(createReadStream(path));
  });
}
