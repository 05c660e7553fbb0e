import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AtCapacityError, RunIdTakenError, ShuttingDownError, type RunManager, type RunRecord } from '../run-manager.js';
import { predictionInputSchema, predictionOutputSchema } from './input-schema.js';
import { fieldFor, inputWorkflow } from './input-workflow.js';
import { predictionResponse, type PredictionRequest, type WebhookEvent } from './prediction.js';
import { validatePredictionInput } from './validate-input.js';
import { sendWebhook } from './webhook.js';

export interface CogRoutesOptions {
  readonly runs: RunManager;
  readonly outputsAsUrls: boolean;
  readonly health: () => { status: 'READY' | 'BUSY' | 'STARTING' | 'SETUP_FAILED'; logs: string };
  readonly log: (line: string) => void;
  /** Aborted when the server shuts down: webhook deliveries still trying stop. */
  readonly shutdown?: AbortSignal;
}

const webhookEvents: readonly WebhookEvent[] = ['start', 'output', 'logs', 'completed'];
const PREDICTION_ID = /^[A-Za-z0-9_-]{1,100}$/;

function isWebhookEvent(value: unknown): value is WebhookEvent {
  return webhookEvents.some((event) => event === value);
}

interface PredictionBody {
  input?: unknown;
  id?: unknown;
  webhook?: unknown;
  webhook_events_filter?: unknown;
}

function detail(reply: FastifyReply, status: number, message: unknown): FastifyReply {
  return reply.code(status).send({ detail: message });
}

/** The Cog predictions protocol with the hosted stable-audio-3-medium model's input schema. */
export function registerCogRoutes(app: FastifyInstance, options: CogRoutesOptions): void {
  const requests = new Map<string, PredictionRequest>();
  const outputUrl = (runId: string, path: string) => `/api/runs/${runId}/outputs/${path.split('/').map(encodeURIComponent).join('/')}`;
  const respond = (request: PredictionRequest, run: RunRecord) => predictionResponse(request, run, outputUrl);

  app.get('/health-check', () => {
    const { status, logs } = options.health();
    return { status, setup: { status: status === 'SETUP_FAILED' ? 'failed' : status === 'STARTING' ? 'starting' : 'succeeded', logs } };
  });

  app.get('/openapi.json', () => ({
    openapi: '3.0.2',
    info: { title: 'sa3-workflows: stable-audio-3-medium', version: '1' },
    paths: {
      '/predictions': {
        post: { summary: 'Predict', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictionRequest' } } } } },
      },
      '/predictions/{prediction_id}': { put: { summary: 'Predict idempotently' } },
      '/predictions/{prediction_id}/cancel': { post: { summary: 'Cancel' } },
      '/health-check': { get: { summary: 'Health check' } },
    },
    components: {
      schemas: {
        Input: predictionInputSchema(),
        Output: predictionOutputSchema(),
        Status: { type: 'string', enum: ['starting', 'processing', 'succeeded', 'canceled', 'failed'], title: 'Status' },
        PredictionRequest: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            input: { $ref: '#/components/schemas/Input' },
            webhook: { type: 'string', format: 'uri' },
            webhook_events_filter: { type: 'array', items: { type: 'string', enum: webhookEvents } },
          },
        },
      },
    },
  }));

  const handle = async (req: FastifyRequest, reply: FastifyReply, givenId?: string): Promise<FastifyReply> => {
    const body = (req.body ?? {}) as PredictionBody;
    if (typeof body !== 'object' || Array.isArray(body))
      return detail(reply, 422, [{ loc: ['body'], msg: 'the request body must be a JSON object with an "input" object', type: 'type_error.dict' }]);
    const id = givenId ?? (typeof body.id === 'string' ? body.id : randomBytes(10).toString('hex'));
    if (!PREDICTION_ID.test(id))
      return detail(reply, 422, [{ loc: ['body', 'id'], msg: 'a prediction id is 1-100 letters, digits, "_" or "-"', type: 'value_error.id' }]);
    const asyncRequested = /respond-async/i.test(String(req.headers.prefer ?? ''));

    // The same id never runs twice: a repeated PUT answers with the prediction already there.
    const existing = requests.get(id);
    const existingRun = existing && options.runs.get(id);
    if (existing && existingRun) {
      if (!asyncRequested) await existingRun.done;
      return reply.code(asyncRequested ? 202 : 200).send(await respond(existing, options.runs.get(id)!));
    }

    const validated = validatePredictionInput(body.input);
    if ('errors' in validated) return detail(reply, 422, validated.errors);
    if (body.webhook !== undefined && (typeof body.webhook !== 'string' || !/^https?:\/\//.test(body.webhook))) {
      return detail(reply, 422, [{ loc: ['body', 'webhook'], msg: 'webhook must be an http(s) URL', type: 'value_error.url' }]);
    }
    const filter = body.webhook_events_filter === undefined ? webhookEvents : body.webhook_events_filter;
    if (!Array.isArray(filter) || !filter.every(isWebhookEvent)) {
      return detail(reply, 422, [
        { loc: ['body', 'webhook_events_filter'], msg: `webhook_events_filter must be a list of ${webhookEvents.join(', ')}`, type: 'value_error.list' },
      ]);
    }
    const built = inputWorkflow(validated.value, id);
    if ('errors' in built) return detail(reply, 422, built.errors);

    let run: RunRecord;
    try {
      run = options.runs.submit(built.workflow, { id, workflowName: 'prediction' });
    } catch (error) {
      if (error instanceof AtCapacityError) return detail(reply, 409, error.message);
      if (error instanceof RunIdTakenError) return detail(reply, 409, error.message);
      if (error instanceof ShuttingDownError) return detail(reply, 503, error.message);
      throw error;
    }
    const request: PredictionRequest = {
      id,
      input: body.input as Record<string, unknown>,
      ...(typeof body.webhook === 'string' ? { webhook: body.webhook } : {}),
      webhookEvents: filter,
      outputAsUrl: options.outputsAsUrls || (req.query as Record<string, string>).output === 'url',
    };
    requests.set(id, request);

    if (request.webhook) {
      const url = request.webhook;
      let started = false;
      const unsubscribe = options.runs.subscribe(id, 0, (event) => {
        if (!started && event.type === 'run-start') {
          started = true;
          void respond(request, run).then((body) => sendWebhook(url, 'start', request.webhookEvents, body, options.log, options.shutdown));
        }
      });
      void run.done.then(async () => {
        unsubscribe();
        await sendWebhook(url, 'completed', request.webhookEvents, await respond(request, run), options.log, options.shutdown);
      });
    }

    if (asyncRequested) return reply.code(202).send(await respond(request, run));

    // A client that hangs up on a synchronous prediction cancels it.
    // (The response's close, not the request's: a request closes once its body has been read.)
    const onClose = (): void => {
      if (!reply.raw.writableFinished) options.runs.cancel(id);
    };
    reply.raw.on('close', onClose);
    await run.done;
    reply.raw.off('close', onClose);
    const error = run.report?.error;
    if (run.status === 'failed' && error?.kind === 'input') {
      return detail(reply, 422, [
        { loc: ['body', 'input', fieldFor(request.input, error.node, error.param)], msg: error.message, type: `value_error.${error.code}` },
      ]);
    }
    return reply.code(200).send(await respond(request, run));
  };

  app.post('/predictions', (req, reply) => handle(req, reply));
  app.put<{ Params: { id: string } }>('/predictions/:id', (req, reply) => handle(req, reply, req.params.id));

  app.get<{ Params: { id: string } }>('/predictions/:id', async (req, reply) => {
    const request = requests.get(req.params.id);
    const run = options.runs.get(req.params.id);
    if (!request || !run) return detail(reply, 404, `there is no prediction "${req.params.id}"`);
    return respond(request, run);
  });

  app.post<{ Params: { id: string } }>('/predictions/:id/cancel', async (req, reply) => {
    const run = options.runs.cancel(req.params.id);
    if (!run || !requests.has(req.params.id)) return detail(reply, 404, `there is no prediction "${req.params.id}"`);
    return {};
  });
}
