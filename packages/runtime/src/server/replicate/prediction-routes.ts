import type { FastifyInstance } from 'fastify';
import type { ReplicateContext } from './context.js';
import { createPrediction } from './create-prediction.js';
import { sendError } from './error-reply.js';
import { pageSizeOf, paginate } from './pagination.js';
import { isFinal } from './prediction-object.js';
import { streamPrediction } from './sse-stream.js';

/** How long a cancel waits for the run to stop before answering with what it is then. */
const CANCEL_SETTLE_MS = 10_000;

interface IdParams {
  id: string;
}

function noPrediction(id: string): string {
  return `there is no prediction "${id.slice(0, 100)}" on this server`;
}

/** POST /v1/predictions, GET /v1/predictions[/{id}[/stream]], POST /v1/predictions/{id}/cancel. */
export function registerPredictionRoutes(scope: FastifyInstance, ctx: ReplicateContext): void {
  scope.post('/predictions', async (req, reply) => {
    const given = (req.body as { version?: unknown } | null | undefined)?.version;
    const current = await ctx.version();
    if (typeof given !== 'string' || given === '')
      return sendError(reply, 422, `version is required: the id of a version of ${ctx.model}, such as ${current.id}`, 'Invalid version or not permitted');
    // "id", "owner/name:id" or "owner/name", as the hosted API takes them.
    const match = /^(?:([^/:]+\/[^/:]+)(?::(.+))?|([^/:]+))$/.exec(given);
    const [, model, pinned, bare] = match ?? [];
    const id = pinned ?? bare;
    if (!match || (model !== undefined && model !== ctx.model) || (id !== undefined && id !== current.id)) {
      return sendError(
        reply,
        422,
        `the version "${given.slice(0, 100)}" is not one this server runs; it runs ${ctx.model}:${current.id}`,
        'Invalid version or not permitted',
      );
    }
    return createPrediction(ctx, req, reply, current.id);
  });

  scope.get('/predictions', async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const size = pageSizeOf(query.page_size);
    if (typeof size === 'object') return sendError(reply, 400, size.error);
    const entries = [...ctx.predictions.values()]
      .map((entry) => ({ entry, key: `${entry.createdAt}|${entry.id}` }))
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const base = ctx.baseOf(req);
    const page = paginate(
      entries,
      (e) => e.key,
      query.cursor,
      (cursor) => `${base}/v1/predictions?cursor=${cursor}${query.page_size !== undefined ? `&page_size=${size}` : ''}`,
      size,
    );
    if ('error' in page) return sendError(reply, 400, page.error);
    const results = [];
    for (const { entry } of page.results) {
      const found = ctx.find(entry.id);
      if (found) results.push(await ctx.object(found.entry, found.run));
    }
    return { next: page.next, previous: page.previous, results };
  });

  scope.get<{ Params: IdParams }>('/predictions/:id', async (req, reply) => {
    const found = ctx.find(req.params.id);
    if (!found) return sendError(reply, 404, noPrediction(req.params.id));
    return ctx.object(found.entry, found.run);
  });

  scope.get<{ Params: IdParams }>('/predictions/:id/stream', async (req, reply) => {
    const found = ctx.find(req.params.id);
    if (!found) return sendError(reply, 404, noPrediction(req.params.id));
    streamPrediction(reply, ctx.runs, found.entry, found.run, ctx.link);
    return reply;
  });

  scope.post<{ Params: IdParams }>('/predictions/:id/cancel', async (req, reply) => {
    const found = ctx.find(req.params.id);
    if (!found) return sendError(reply, 404, noPrediction(req.params.id));
    const { entry, run } = found;
    const before = await ctx.object(entry, run);
    if (entry.canceled && before.status === 'canceled') return sendError(reply, 409, `prediction ${entry.id} was already canceled`, 'Already canceled');
    if (!isFinal(before.status)) {
      entry.canceled = true;
      ctx.runs.cancel(entry.id);
      // Cancelling reaches the sampler between steps: answer once the run has stopped.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([run.done, new Promise((resolve) => (timer = setTimeout(resolve, CANCEL_SETTLE_MS)))]);
      clearTimeout(timer);
    }
    return ctx.object(entry, run);
  });
}
