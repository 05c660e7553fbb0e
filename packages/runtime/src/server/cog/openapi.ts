import { predictionInputSchema, predictionOutputSchema } from './input-schema.js';
import { WEBHOOK_EVENTS } from './prediction.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const ok = (schema: unknown = {}) => ({ description: 'Successful Response', content: json(schema) });
const invalid = { description: 'Validation Error', content: json(ref('HTTPValidationError')) };
const detail = (description: string) => ({ description, content: json({ type: 'object', properties: { detail: { type: 'string' } } }) });
const predictionId = { in: 'path', name: 'prediction_id', required: true, schema: { title: 'Prediction ID', type: 'string' } };
const prefer = { in: 'header', name: 'prefer', required: false, schema: { title: 'Prefer', type: 'string' } };
const dateTime = (title: string) => ({ title, type: 'string', format: 'date-time' });

const predictionResponses = {
  '200': ok(ref('PredictionResponse')),
  '202': {
    description: 'Accepted: the prediction as it stands (Prefer: respond-async, or a PUT of an id that is running)',
    content: json(ref('PredictionResponse')),
  },
  '409': detail('Already running a prediction, or the id is another run of this server'),
  '422': invalid,
};

function schemas(): Record<string, unknown> {
  return {
    Input: predictionInputSchema(),
    Output: predictionOutputSchema(),
    Status: { title: 'Status', type: 'string', enum: ['starting', 'processing', 'succeeded', 'canceled', 'failed'] },
    WebhookEvent: { title: 'WebhookEvent', type: 'string', enum: WEBHOOK_EVENTS },
    PredictionRequest: {
      title: 'PredictionRequest',
      type: 'object',
      properties: {
        id: { title: 'Id', type: 'string' },
        input: ref('Input'),
        webhook: { title: 'Webhook', type: 'string', format: 'uri' },
        webhook_events_filter: { type: 'array', items: ref('WebhookEvent'), default: WEBHOOK_EVENTS },
      },
    },
    PredictionResponse: {
      title: 'PredictionResponse',
      type: 'object',
      properties: {
        id: { title: 'Id', type: 'string' },
        input: ref('Input'),
        output: ref('Output'),
        error: { title: 'Error', type: 'string', nullable: true },
        status: ref('Status'),
        logs: { title: 'Logs', type: 'string', default: '' },
        metrics: { title: 'Metrics', type: 'object', properties: { predict_time: { type: 'number' } } },
        created_at: dateTime('Created At'),
        started_at: { ...dateTime('Started At'), nullable: true },
        completed_at: { ...dateTime('Completed At'), nullable: true },
      },
    },
    ValidationError: {
      title: 'ValidationError',
      type: 'object',
      required: ['loc', 'msg', 'type'],
      properties: {
        loc: { title: 'Location', type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
        msg: { title: 'Message', type: 'string' },
        type: { title: 'Error Type', type: 'string' },
      },
    },
    HTTPValidationError: {
      title: 'HTTPValidationError',
      type: 'object',
      properties: { detail: { title: 'Detail', type: 'array', items: ref('ValidationError') } },
    },
  };
}

/** GET /openapi.json: every Cog route this server serves, with the hosted model's input and the response schemas. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.0.2',
    info: { title: 'Cog', version: '0.1.0', description: 'sa3-workflows serving stable-audio-3-medium' },
    paths: {
      '/': { get: { summary: 'Root', operationId: 'root__get', responses: { '200': ok() } } },
      '/health-check': { get: { summary: 'Healthcheck', operationId: 'healthcheck_health_check_get', responses: { '200': ok() } } },
      '/predictions': {
        post: {
          summary: 'Predict',
          description: 'Runs one prediction; with Prefer: respond-async, answers 202 at once and reports to the webhook.',
          operationId: 'predict_predictions_post',
          parameters: [prefer],
          requestBody: { content: json(ref('PredictionRequest')) },
          responses: predictionResponses,
        },
      },
      '/predictions/{prediction_id}': {
        put: {
          summary: 'Predict Idempotent',
          description: 'Runs one prediction under the id of the path; while that id runs, answers 202 with it instead of starting another.',
          operationId: 'predict_idempotent_predictions__prediction_id__put',
          parameters: [predictionId, prefer],
          requestBody: { content: json(ref('PredictionRequest')), required: true },
          responses: predictionResponses,
        },
        get: {
          summary: 'Get Prediction',
          description: 'The last prediction made under this id, as it stands (an addition to Cog, which has no such route).',
          operationId: 'get_prediction_predictions__prediction_id__get',
          parameters: [predictionId],
          responses: { '200': ok(ref('PredictionResponse')), '404': detail('No prediction has this id') },
        },
      },
      '/predictions/{prediction_id}/cancel': {
        post: {
          summary: 'Cancel',
          description: 'Cancels the prediction under this id while it is queued or running.',
          operationId: 'cancel_predictions__prediction_id__cancel_post',
          parameters: [predictionId],
          responses: { '200': ok({ type: 'object' }), '404': detail('No prediction under this id is queued or running'), '422': invalid },
        },
      },
    },
    components: { schemas: schemas() },
  };
}
