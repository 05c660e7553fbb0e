import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RunIdTakenError, ShuttingDownError } from '../run-manager.js';
import type { CogContext } from './context.js';
import { fieldFor, inputWorkflow } from './input-workflow.js';
import { WEBHOOK_EVENTS, type PredictionRequest, type WebhookEvent } from './prediction.js';
import { PredictionBusyError, type Prediction } from './prediction-registry.js';
import { echoedInput, validatePredictionInput, type FieldError } from './validate-input.js';
import { watchWebhook } from './prediction-webhook.js';

const PREDICTION_ID = /^[A-Za-z0-9_-]{1,100}$/;

interface PredictionBody {
  input?: unknown;
  id?: unknown;
  webhook?: unknown;
  webhook_events_filter?: unknown;
}

function isWebhookEvent(value: unknown): value is WebhookEvent {
  return WEBHOOK_EVENTS.some((event) => event === value);
}

export function detail(reply: FastifyReply, status: number, message: unknown): FastifyReply {
  return reply.code(status).send({ detail: message });
}

/** The request a body describes, or the field errors that refuse it. */
function readRequest(body: PredictionBody, id: string, outputAsUrl: boolean): { request: PredictionRequest; value: Record<string, unknown> } | FieldError[] {
  if (!PREDICTION_ID.test(id)) return [{ loc: ['body', 'id'], msg: 'a prediction id is 1-100 letters, digits, "_" or "-"', type: 'value_error.id' }];
  // As Cog: no input (or null) is an empty one.
  const validated = validatePredictionInput(body.input ?? {});
  if ('errors' in validated) return validated.errors;
  if (body.webhook !== undefined && body.webhook !== null && (typeof body.webhook !== 'string' || !/^https?:\/\//.test(body.webhook)))
    return [{ loc: ['body', 'webhook'], msg: 'webhook must be an http(s) URL', type: 'value_error.url' }];
  const filter = body.webhook_events_filter ?? WEBHOOK_EVENTS;
  if (!Array.isArray(filter) || !filter.every(isWebhookEvent))
    return [{ loc: ['body', 'webhook_events_filter'], msg: `webhook_events_filter must be a list of ${WEBHOOK_EVENTS.join(', ')}`, type: 'value_error.list' }];
  const request: PredictionRequest = {
    id,
    input: echoedInput(validated.value),
    ...(typeof body.webhook === 'string' ? { webhook: body.webhook } : {}),
    webhookEvents: filter,
    outputAsUrl,
  };
  return { request, value: validated.value };
}

/** Submits, or answers the refusal in Cog's words and returns the reply. */
function submit(ctx: CogContext, reply: FastifyReply, request: PredictionRequest, value: Record<string, unknown>): Prediction | FastifyReply {
  const built = inputWorkflow(value, request.id, ctx.options.predictionLoras);
  if ('errors' in built) return detail(reply, 422, built.errors);
  try {
    return ctx.predictions.submit(request, built.workflow);
  } catch (error) {
    if (error instanceof PredictionBusyError || error instanceof RunIdTakenError) return detail(reply, 409, error.message);
    if (error instanceof ShuttingDownError) return detail(reply, 503, error.message);
    throw error;
  }
}

/** Waits for a synchronous prediction; a client that hangs up on it cancels it. */
async function answerWhenDone(ctx: CogContext, reply: FastifyReply, prediction: Prediction): Promise<FastifyReply> {
  const { run, request } = prediction;
  // The response's close, not the request's: a request closes once its body has been read.
  const onClose = (): void => {
    if (!reply.raw.writableFinished) ctx.options.runs.cancel(run.id);
  };
  reply.raw.on('close', onClose);
  await run.done;
  reply.raw.off('close', onClose);
  const error = run.report?.error;
  if (run.status === 'failed' && error?.kind === 'input')
    return detail(reply, 422, [
      { loc: ['body', 'input', fieldFor(request.input, error.node, error.param, error.message)], msg: error.message, type: `value_error.${error.code}` },
    ]);
  return reply.code(200).send(await ctx.respond(prediction));
}

/**
 * POST /predictions and PUT /predictions/{id}, as Cog's http.py serves them: a PUT whose body
 * names another id is refused, a PUT of an id that is running answers 202 with it at once
 * (whatever Prefer says), an id whose prediction has ended starts a new one, and while the server
 * is busy a new prediction gets 409 "Already running a prediction".
 */
export async function createPrediction(ctx: CogContext, req: FastifyRequest, reply: FastifyReply, urlId?: string): Promise<FastifyReply> {
  const body = (req.body ?? {}) as PredictionBody;
  if (typeof body !== 'object' || Array.isArray(body))
    return detail(reply, 422, [{ loc: ['body'], msg: 'the request body must be a JSON object with an "input" object', type: 'type_error.dict' }]);
  if (urlId !== undefined && body.id !== undefined && body.id !== null && body.id !== urlId)
    return detail(reply, 422, [{ loc: ['body', 'id'], msg: 'prediction ID must match the ID supplied in the URL', type: 'value_error' }]);
  const id = urlId ?? (typeof body.id === 'string' ? body.id : randomBytes(10).toString('hex'));
  const running = urlId !== undefined ? ctx.predictions.running(urlId) : undefined;
  if (running) return reply.code(202).send(await ctx.respond(running));

  const outputAsUrl = ctx.options.outputsAsUrls || (req.query as Record<string, string>).output === 'url';
  const read = readRequest(body, id, outputAsUrl);
  if (Array.isArray(read)) return detail(reply, 422, read);
  const prediction = submit(ctx, reply, read.request, read.value);
  if (!('run' in prediction)) return prediction;
  watchWebhook(ctx, prediction);
  if (/respond-async/i.test(String(req.headers.prefer ?? ''))) return reply.code(202).send(await ctx.respond(prediction));
  return answerWhenDone(ctx, reply, prediction);
}
