// The Cog protocol's payloads as the tests read them: a prediction, a field-level refusal and the
// health check. Each reader checks the fields it returns and throws one sentence naming where the
// payload came from and the field at fault, so a test never reads a field that is not there.

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';

/** A prediction as POST/PUT/GET /predictions answer it and as webhooks carry it. */
export interface Prediction {
  readonly id: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly output: string | null;
  readonly error: string | null;
  readonly status: PredictionStatus;
  readonly logs: string;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  readonly metrics: { readonly predict_time?: number };
}

/** One entry of a 422's `detail`: the field at fault (`loc`, its last element the field's name) and why. */
export interface ValidationError {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

/** What GET /health-check answers. */
export interface HealthCheck {
  readonly status: string;
}

/** The part of GET /openapi.json the tests compare: the input and output schemas. */
export interface OpenApiSchemas {
  readonly Input: Readonly<Record<string, unknown>>;
  readonly Output: unknown;
}

const predictionStatuses: readonly PredictionStatus[] = ['starting', 'processing', 'succeeded', 'failed', 'canceled'];

function fail(where: string, expected: string, value: unknown): never {
  throw new Error(`${where} is ${JSON.stringify(value)}; expected ${expected}`);
}

function record(value: unknown, where: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'an object', value);
  return value as Readonly<Record<string, unknown>>;
}

function string(value: unknown, where: string): string {
  return typeof value === 'string' ? value : fail(where, 'a string', value);
}

function nullableString(value: unknown, where: string): string | null {
  return value === null ? null : string(value, where);
}

function status(value: unknown, where: string): PredictionStatus {
  const found = predictionStatuses.find((s) => s === value);
  return found ?? fail(where, `one of ${predictionStatuses.join(', ')}`, value);
}

/** Reads a prediction; `source` names the request or webhook it came from. */
export function readPrediction(value: unknown, source: string): Prediction {
  const body = record(value, source);
  const at = (key: string) => `${source}: ${key}`;
  const metrics = record(body.metrics, at('metrics'));
  const predictTime = metrics.predict_time;
  if (predictTime !== undefined && typeof predictTime !== 'number') fail(at('metrics.predict_time'), 'a number', predictTime);
  return {
    id: string(body.id, at('id')),
    input: record(body.input, at('input')),
    output: nullableString(body.output, at('output')),
    error: nullableString(body.error, at('error')),
    status: status(body.status, at('status')),
    logs: string(body.logs, at('logs')),
    created_at: string(body.created_at, at('created_at')),
    started_at: nullableString(body.started_at, at('started_at')),
    completed_at: nullableString(body.completed_at, at('completed_at')),
    metrics: predictTime === undefined ? {} : { predict_time: predictTime },
  };
}

/** The output of a prediction that has one (a data: URI or a URL on the server). */
export function outputOf(prediction: Prediction): string {
  if (prediction.output === null) throw new Error(`prediction ${prediction.id} (${prediction.status}) has no output: ${prediction.error ?? 'no error either'}`);
  return prediction.output;
}

/** Reads the list of field errors a 422 carries as its `detail`. */
export function readValidationErrors(value: unknown, source: string): ValidationError[] {
  if (!Array.isArray(value)) fail(source, 'a list of field errors', value);
  return value.map((item: unknown, i) => {
    const entry = record(item, `${source}[${i}]`);
    const loc: unknown = entry.loc;
    if (!Array.isArray(loc) || !loc.every((part: unknown): part is string | number => typeof part === 'string' || typeof part === 'number'))
      fail(`${source}[${i}].loc`, 'a list of field names and indexes', loc);
    return { loc, msg: string(entry.msg, `${source}[${i}].msg`), type: string(entry.type, `${source}[${i}].type`) };
  });
}

/** Reads GET /health-check. */
export function readHealthCheck(value: unknown, source: string): HealthCheck {
  return { status: string(record(value, source).status, `${source}: status`) };
}

/** Reads the input and output schemas out of GET /openapi.json. */
export function readOpenApiSchemas(value: unknown, source: string): OpenApiSchemas {
  const components = record(record(value, source).components, `${source}: components`);
  const schemas = record(components.schemas, `${source}: components.schemas`);
  return { Input: record(schemas.Input, `${source}: components.schemas.Input`), Output: schemas.Output };
}
