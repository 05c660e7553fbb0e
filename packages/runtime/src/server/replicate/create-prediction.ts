import type { FastifyReply, FastifyRequest } from 'fastify';
import { AtCapacityError, ShuttingDownError, type RunRecord } from '../run-manager.js';
import { inputWorkflow } from '../cog/input-workflow.js';
import { validatePredictionInput } from '../cog/validate-input.js';
import type { ReplicateContext } from './context.js';
import { sendError, type InvalidField } from './error-reply.js';
import { newId } from './file-store.js';
import { resolveInputFiles } from './input-files.js';
import { preferredWait } from './prefer-wait.js';
import { isFinal, type PredictionEntry } from './prediction-object.js';
import { predictionOrigin } from './prediction-origin.js';
import { WEBHOOK_EVENTS, WebhookDelivery, type WebhookEvent } from './webhook-delivery.js';

interface CreateBody {
  input?: unknown;
  webhook?: unknown;
  webhook_events_filter?: unknown;
}

function isWebhookEvent(value: unknown): value is WebhookEvent {
  return WEBHOOK_EVENTS.some((event) => event === value);
}

function invalidInput(reply: FastifyReply, fields: readonly InvalidField[]): FastifyReply {
  return sendError(reply, 422, fields.map((f) => f.description).join('; '), 'Input validation failed', fields);
}

/** Sends the run's events to the prediction's webhook, signed, in order (for a run followed again after a restart, those after it was taken over). */
export function deliverWebhooks(ctx: ReplicateContext, entry: PredictionEntry, run: RunRecord, url: string, events: readonly WebhookEvent[]): void {
  const delivery = new WebhookDelivery({
    url,
    events,
    secret: () => ctx.webhookSecret,
    snapshot: () => ctx.object(entry, run),
    log: ctx.options.log,
    signal: ctx.closing.signal,
  });
  const unsubscribe = ctx.runs.subscribe(run.id, run.resumedAfterSeq ?? 0, (event) => {
    if (event.type === 'run-start') delivery.start();
    else if (event.type === 'node-progress' || event.type === 'node-done' || event.type === 'node-cached' || event.type === 'node-error') delivery.logs();
    else if (event.type === 'run-done' || event.type === 'run-error' || event.type === 'run-cancelled') delivery.stopLogs();
  });
  void run.done.then(() => {
    unsubscribe();
    return delivery.complete(run.status === 'succeeded');
  });
}

/**
 * Creates a prediction of `version` from a request body of the hosted API, answering 201 at once,
 * or with Prefer: wait[=N] once it has finished or N seconds have passed (then as "starting",
 * so the clients go on polling).
 */
export async function createPrediction(ctx: ReplicateContext, req: FastifyRequest, reply: FastifyReply, version: string): Promise<FastifyReply> {
  const body = req.body as CreateBody | undefined | null;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return sendError(reply, 400, 'the request body must be a JSON object with an "input" object, such as {"input": {"prompt": "..."}}');
  const wait = preferredWait(req.headers.prefer);
  if (wait !== null && typeof wait === 'object') return sendError(reply, 400, wait.error);

  const validated = validatePredictionInput(body.input);
  if ('errors' in validated) {
    return invalidInput(
      reply,
      validated.errors.map((e) => ({ type: e.type.replace(/^\w+_error\./, ''), field: e.loc.slice(1).join('.'), description: e.msg })),
    );
  }
  if (body.webhook !== undefined && (typeof body.webhook !== 'string' || !/^https?:\/\/[^\s]+$/.test(body.webhook)))
    return sendError(reply, 422, 'webhook must be an http(s) URL', 'Invalid webhook');
  const filter = body.webhook_events_filter ?? WEBHOOK_EVENTS;
  if (!Array.isArray(filter) || !filter.every(isWebhookEvent))
    return sendError(reply, 422, `webhook_events_filter must be a list of ${WEBHOOK_EVENTS.join(', ')}`, 'Invalid webhook events filter');

  const base = ctx.baseOf(req);
  const files = resolveInputFiles(validated.value, [...new Set([base, `http://${req.headers.host ?? ''}`])], ctx.files);
  if ('error' in files) return invalidInput(reply, [{ type: 'file', field: `input.${files.field}`, description: files.error }]);
  const id = newId();
  const built = inputWorkflow(files.value, id, ctx.options.predictionLoras);
  if ('errors' in built) {
    return invalidInput(
      reply,
      built.errors.map((e) => ({ type: e.type.replace(/^\w+_error\./, ''), field: e.loc.slice(1).join('.'), description: e.msg })),
    );
  }

  let run: RunRecord;
  const webhook = typeof body.webhook === 'string' ? { url: body.webhook, events: filter } : null;
  try {
    const origin = predictionOrigin({ id, model: ctx.model, version, input: body.input as Record<string, unknown>, base }, webhook);
    run = ctx.runs.submit(built.workflow, { id, workflowName: 'prediction', origin, priority: 'batch', nodePreviews: false });
  } catch (error) {
    if (error instanceof AtCapacityError) return sendError(reply.header('retry-after', '1'), 429, error.message);
    if (error instanceof ShuttingDownError) return sendError(reply, 503, error.message);
    throw error;
  }
  const entry: PredictionEntry = {
    id,
    model: ctx.model,
    version,
    input: body.input as Record<string, unknown>,
    createdAt: run.createdAt,
    base,
    canceled: false,
  };
  ctx.predictions.set(id, entry);
  if (webhook) deliverWebhooks(ctx, entry, run, webhook.url, webhook.events);

  if (wait !== null) {
    let timer: NodeJS.Timeout | undefined;
    let onClose: (() => void) | undefined;
    await Promise.race([
      run.done,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, wait * 1000))),
      new Promise<void>((resolve) => reply.raw.on('close', (onClose = resolve))),
    ]);
    clearTimeout(timer);
    reply.raw.off('close', onClose!);
  }
  const prediction = await ctx.object(entry, run);
  // Held and not finished: "starting" is what tells the clients to go on polling.
  if (wait !== null && !isFinal(prediction.status)) prediction.status = 'starting';
  return reply.code(201).send(prediction);
}
