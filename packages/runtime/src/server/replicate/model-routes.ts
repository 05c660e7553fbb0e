import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ReplicateContext } from './context.js';
import { createPrediction } from './create-prediction.js';
import { sendError } from './error-reply.js';
import { modelObject } from './model-version.js';

interface ModelParams {
  owner: string;
  name: string;
}

/** GET /v1/models[/{owner}/{name}[/versions[/{id}]]], POST /v1/models/{owner}/{name}/predictions, the webhook secret. */
export function registerModelRoutes(scope: FastifyInstance, ctx: ReplicateContext): void {
  const unknownModel = (reply: FastifyReply, { owner, name }: ModelParams): FastifyReply =>
    sendError(reply, 404, `there is no model ${owner.slice(0, 64)}/${name.slice(0, 100)} on this server; it runs ${ctx.model}`);
  const isOurs = ({ owner, name }: ModelParams): boolean => `${owner}/${name}` === ctx.model;

  scope.get('/models', async (req) => ({
    next: null,
    previous: null,
    results: [modelObject(ctx.model, await ctx.version(), ctx.predictions.size, ctx.baseOf(req))],
  }));

  scope.get<{ Params: ModelParams }>('/models/:owner/:name', async (req, reply) =>
    isOurs(req.params) ? modelObject(ctx.model, await ctx.version(), ctx.predictions.size, ctx.baseOf(req)) : unknownModel(reply, req.params),
  );

  scope.get<{ Params: ModelParams }>('/models/:owner/:name/versions', async (req, reply) =>
    isOurs(req.params) ? { next: null, previous: null, results: [await ctx.version()] } : unknownModel(reply, req.params),
  );

  scope.get<{ Params: ModelParams & { id: string } }>('/models/:owner/:name/versions/:id', async (req, reply) => {
    if (!isOurs(req.params)) return unknownModel(reply, req.params);
    const version = await ctx.version();
    if (req.params.id !== version.id)
      return sendError(reply, 404, `${ctx.model} has no version "${req.params.id.slice(0, 100)}"; the version this server runs is ${version.id}`);
    return version;
  });

  scope.post<{ Params: ModelParams }>('/models/:owner/:name/predictions', async (req, reply) =>
    isOurs(req.params) ? createPrediction(ctx, req, reply, (await ctx.version()).id) : unknownModel(reply, req.params),
  );

  scope.get('/webhooks/default/secret', () => ctx.webhookSecret);
}
