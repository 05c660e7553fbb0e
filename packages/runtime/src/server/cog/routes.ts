import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CogContext, type CogRoutesOptions } from './context.js';
import { createPrediction, detail } from './create-prediction.js';
import { watchWebhook } from './prediction-webhook.js';
import { addJsonConstraint, ASKS_FOR_JSON, discoveryDocument } from './discovery.js';
import { healthCheck } from './health.js';
import { openApiDocument } from './openapi.js';
import { isJsonSyntaxError, jsonInvalidError, readBodiesAsCog } from './request-body.js';

export type { CogRoutesOptions } from './context.js';

type WithId = FastifyRequest<{ Params: { id: string } }>;

/** A body that is not JSON gets FastAPI's 422 naming where it stops; the server's own handler words every other error. */
function answerAsFastApi(error: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isJsonSyntaxError(error)) return reply.code(422).send({ detail: [jsonInvalidError(req)] });
  throw error;
}

async function getPrediction(ctx: CogContext, req: WithId, reply: FastifyReply): Promise<FastifyReply> {
  const prediction = ctx.predictions.get(req.params.id);
  if (!prediction) return detail(reply, 404, `there is no prediction "${req.params.id}"`);
  return reply.send(await ctx.respond(prediction));
}

/** As Cog's runner: 200 {} when the prediction is queued or running, 404 when it is unknown or has ended. */
function cancelPrediction(ctx: CogContext, req: WithId, reply: FastifyReply): FastifyReply {
  if (ctx.predictions.cancel(req.params.id)) return reply.send({});
  const known = ctx.predictions.get(req.params.id);
  return detail(
    reply,
    404,
    known
      ? `prediction "${req.params.id}" has ended (${known.run.status}); only a queued or running one can be cancelled`
      : `there is no prediction "${req.params.id}"`,
  );
}

/** Cog's predictions protocol (the unversioned routes a Cog container serves) with the hosted stable-audio-3-medium model's input schema. */
export function registerCogRoutes(app: FastifyInstance, options: CogRoutesOptions): void {
  const ctx = new CogContext(options);
  for (const prediction of ctx.predictions.resumed) watchWebhook(ctx, prediction);
  addJsonConstraint(app);
  void app.register((scope, _opts, done) => {
    readBodiesAsCog(scope);
    scope.setErrorHandler(answerAsFastApi);
    scope.get('/', { constraints: ASKS_FOR_JSON }, () => discoveryDocument());
    scope.get('/health-check', () => healthCheck(options.setup(), ctx.predictions.busy()));
    scope.get('/openapi.json', () => openApiDocument());
    scope.post('/predictions', (req, reply) => createPrediction(ctx, req, reply));
    scope.put('/predictions/:id', (req: WithId, reply) => createPrediction(ctx, req, reply, req.params.id));
    scope.get('/predictions/:id', (req: WithId, reply) => getPrediction(ctx, req, reply));
    scope.post('/predictions/:id/cancel', (req: WithId, reply) => cancelPrediction(ctx, req, reply));
    done();
  });
}
