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

/** Cog's setup result inside the health check: empty until setup has ended. */
export interface SetupResult {
  readonly started_at?: string;
  readonly completed_at?: string;
  readonly logs?: string;
  readonly status?: string;
}

/** What GET /health-check answers. */
export interface HealthCheck {
  readonly status: string;
  readonly setup: SetupResult;
}

/** GET / for a client that asks for JSON: the routes of the Cog protocol by name. */
export type DiscoveryDocument = Readonly<Record<string, string>>;

/** GET /openapi.json as the tests read it: each path's methods with their response codes, and the component schemas. */
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, { readonly responses: Readonly<Record<string, unknown>> }>>>>;
  readonly schemas: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
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

function optionalString(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : string(value, where);
}

/** Reads GET /health-check. */
export function readHealthCheck(value: unknown, source: string): HealthCheck {
  const body = record(value, source);
  const setup = body.setup === undefined ? {} : record(body.setup, `${source}: setup`);
  const field = (key: string) => optionalString(setup[key], `${source}: setup.${key}`);
  const read: SetupResult = { started_at: field('started_at'), completed_at: field('completed_at'), logs: field('logs'), status: field('status') };
  return {
    status: string(body.status, `${source}: status`),
    setup: Object.fromEntries(Object.entries(read).filter(([, v]) => v !== undefined)),
  };
}

/** Reads Cog's discovery document: every value a string. */
export function readDiscoveryDocument(value: unknown, source: string): DiscoveryDocument {
  const body = record(value, source);
  for (const [key, v] of Object.entries(body)) string(v, `${source}: ${key}`);
  return body as DiscoveryDocument;
}

/** Reads the paths (methods and response codes) and the component schemas of GET /openapi.json. */
export function readOpenApiDocument(value: unknown, source: string): OpenApiDocument {
  const body = record(value, source);
  const paths: Record<string, Record<string, { responses: Readonly<Record<string, unknown>> }>> = {};
  for (const [path, item] of Object.entries(record(body.paths, `${source}: paths`))) {
    paths[path] = {};
    for (const [method, operation] of Object.entries(record(item, `${source}: paths.${path}`)))
      paths[path][method] = {
        responses: record(record(operation, `${source}: paths.${path}.${method}`).responses, `${source}: paths.${path}.${method}.responses`),
      };
  }
  const schemas: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [name, schema] of Object.entries(record(record(body.components, `${source}: components`).schemas, `${source}: components.schemas`)))
    schemas[name] = record(schema, `${source}: components.schemas.${name}`);
  return { paths, schemas };
}

/** Reads the input and output schemas out of GET /openapi.json. */
export function readOpenApiSchemas(value: unknown, source: string): OpenApiSchemas {
  const components = record(record(value, source).components, `${source}: components`);
  const schemas = record(components.schemas, `${source}: components.schemas`);
  return { Input: record(schemas.Input, `${source}: components.schemas.Input`), Output: schemas.Output };
}
