// Cog's own protocol where sa3 serve used to differ from it, one case per difference, each
// against what Cog's server answers (python/cog/server/http.py and runner.py of Cog 0.16, and
// FastAPI and pydantic underneath it).
import { createServer, type IncomingMessage } from 'node:http';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWithFfmpeg } from '../helpers/audio-probe.js';
import { tempDir } from '../helpers/cli.js';
import { readDiscoveryDocument, readHealthCheck, readOpenApiDocument, readPrediction, type Prediction } from './cog-payloads.js';
import { decodeDataUri, startTestServer, type TestServer } from './server-fixture.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.server.close());

const busy = { detail: 'Already running a prediction' };

/** Starts a prediction held at the engine's gate; resolves once it has reached it. */
async function holdPrediction(id: string): Promise<void> {
  t.engine.close();
  const arrived = t.engine.arrival();
  const accepted = await t.request(`/predictions/${id}`, {
    method: 'PUT',
    headers: { prefer: 'respond-async' },
    json: { input: { prompt: 'mid', duration: 2 } },
  });
  expect(accepted.status).toBe(202);
  await arrived;
}

async function release(id: string): Promise<void> {
  t.engine.open();
  await t.server.runs.get(id)!.done;
}

describe("Cog's protocol, where it used to differ", () => {
  it('one prediction at a time: the next gets 409 "Already running a prediction" and the health check says BUSY until it ends', async () => {
    await holdPrediction('first');
    const post = await t.request('/predictions', { method: 'POST', json: { input: { prompt: 'mid', duration: 1 } } });
    expect(post).toMatchObject({ status: 409, body: busy });
    const put = await t.request('/predictions/second', { method: 'PUT', json: { input: { prompt: 'mid', duration: 1 } } });
    expect(put).toMatchObject({ status: 409, body: busy });
    expect(readHealthCheck((await t.request('/health-check')).body, 'GET /health-check').status).toBe('BUSY');
    await release('first');
    expect(readHealthCheck((await t.request('/health-check')).body, 'GET /health-check').status).toBe('READY');
    expect(t.server.runs.get('second')).toBeUndefined();
  });

  it("/health-check carries Cog's setup result with started_at and completed_at", async () => {
    const { status, body } = await t.request('/health-check');
    expect(status).toBe(200);
    const health = readHealthCheck(body, 'GET /health-check');
    const { started_at: startedAt, completed_at: completedAt, ...rest } = health.setup;
    expect(health.status).toBe('READY');
    expect(rest).toEqual({ logs: 'model pack "medium" is installed', status: 'succeeded' });
    expect(new Date(Date.parse(startedAt!)).toISOString()).toBe(startedAt);
    expect(Date.parse(startedAt!)).toBeLessThanOrEqual(Date.parse(completedAt!));
  });

  it("PUT whose body names another id: 422 with Cog's message", async () => {
    const { status, body } = await t.request('/predictions/url-id', { method: 'PUT', json: { id: 'body-id', input: { prompt: 'mid', duration: 1 } } });
    expect(status).toBe(422);
    expect(body).toEqual({ detail: [{ loc: ['body', 'id'], msg: 'prediction ID must match the ID supplied in the URL', type: 'value_error' }] });
    expect(t.server.runs.get('url-id')).toBeUndefined();
  });

  it('PUT of an id whose prediction has ended starts a new prediction, and the first keeps its output', async () => {
    const first = await t.request('/predictions/again', { method: 'PUT', json: { input: { prompt: 'mid', duration: 1, seed: 1 } } });
    expect(first.status).toBe(200);
    const calls = t.engine.calls;
    const second = await t.request('/predictions/again', { method: 'PUT', json: { input: { prompt: 'mid', duration: 1, seed: 2 } } });
    expect(second.status).toBe(200);
    const [a, b] = [readPrediction(first.body, 'first PUT /predictions/again'), readPrediction(second.body, 'second PUT /predictions/again')];
    expect(b).toMatchObject({ id: 'again', status: 'succeeded', input: { seed: 2 } });
    expect(b.created_at).not.toBe(a.created_at);
    expect(t.engine.calls - calls).toBe(1);
    expect(readPrediction((await t.request('/predictions/again')).body, 'GET /predictions/again').input.seed).toBe(2);
    expect(await readdir(join(t.home, 'outputs', 'again'))).toEqual(['again.wav']);
  });

  it('a synchronous PUT of an id that is running answers 202 at once with it', async () => {
    await holdPrediction('held');
    const again = await t.request('/predictions/held', { method: 'PUT', json: { input: { prompt: 'mid', duration: 2 } } });
    expect(again.status).toBe(202);
    expect(readPrediction(again.body, 'PUT /predictions/held while it runs')).toMatchObject({ id: 'held', status: 'processing', output: null });
    await release('held');
    expect(readPrediction((await t.request('/predictions/held')).body, 'GET /predictions/held').status).toBe('succeeded');
  });

  it('cancel of a prediction that has ended: 404', async () => {
    await t.request('/predictions/ended', { method: 'PUT', json: { input: { prompt: 'mid', duration: 1 } } });
    const { status, body } = await t.request('/predictions/ended/cancel', { method: 'POST' });
    expect(status).toBe(404);
    expect(body).toEqual({ detail: 'prediction "ended" has ended (succeeded); only a queued or running one can be cancelled' });
    expect(readPrediction((await t.request('/predictions/ended')).body, 'GET /predictions/ended').status).toBe('succeeded');
  });

  it('an empty body with Content-Type: application/json is no body: a cancel is accepted, a prediction lacks its prompt', async () => {
    await holdPrediction('stop-me');
    const cancel = await t.request('/predictions/stop-me/cancel', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
    expect(cancel).toMatchObject({ status: 200, body: {} });
    await release('stop-me');
    expect(readPrediction((await t.request('/predictions/stop-me')).body, 'GET /predictions/stop-me').status).toBe('canceled');
    const post = await t.request('/predictions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
    expect(post.status).toBe(422);
    expect(post.body).toEqual({ detail: [{ loc: ['body', 'input', 'prompt'], msg: 'prompt is required', type: 'value_error.missing' }] });
  });

  it('malformed JSON: 422 with the position and the reason Python gives, as FastAPI answers it', async () => {
    const cases: [string, number, string][] = [
      ['{"input": {"prompt": ', 21, 'Expecting value'],
      ['{"input": {"prompt": "x",}}', 25, 'Expecting property name enclosed in double quotes'],
      ['{"input": {"prompt": "x"} "id": "a"}', 26, "Expecting ',' delimiter"],
    ];
    for (const [text, pos, error] of cases) {
      const { status, body } = await t.request('/predictions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
      expect(status, text).toBe(422);
      expect(body, text).toEqual({ detail: [{ type: 'json_invalid', loc: ['body', pos], msg: 'JSON decode error', input: {}, ctx: { error } }] });
    }
    expect(readHealthCheck((await t.request('/health-check')).body, 'GET /health-check').status).toBe('READY');
  });

  it('numbers given as strings are read as pydantic reads them; a string that is no number is refused', async () => {
    const { status, body } = await t.request('/predictions', {
      method: 'POST',
      json: { input: { prompt: 'a soft mid tone', duration: '2', steps: ' 8 ', seed: '+7', cfg_scale: '1.0' } },
    });
    expect(status).toBe(200);
    const prediction = readPrediction(body, 'POST /predictions with numeric strings');
    expect(prediction.input).toMatchObject({ duration: 2, steps: 8, seed: 7, cfg_scale: 1 });
    const path = join(await tempDir('sa3-cog-protocol-'), 'strings.wav');
    await writeFile(path, decodeDataUri(prediction.output!));
    expect(decodeWithFfmpeg(path)[0]!.length).toBe(2 * 44_100);
    const refused = await t.request('/predictions', { method: 'POST', json: { input: { prompt: 'mid', steps: '4.5' } } });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ detail: [{ loc: ['body', 'input', 'steps'], msg: 'steps must be an integer, got "4.5"', type: 'type_error.integer' }] });
  });

  it('input keys the schema does not have are ignored, and the input is echoed as Cog reads it', async () => {
    const { status, body } = await t.request('/predictions', { method: 'POST', json: { input: { prompt: 'mid', duration: 1, tempo: 120, style: 'jazz' } } });
    expect(status).toBe(200);
    expect(readPrediction(body, 'POST /predictions with unknown keys').input).toEqual({
      prompt: 'mid',
      negative_prompt: '',
      duration: 1,
      steps: 8,
      cfg_scale: 1,
      seed: -1,
      init_audio: null,
      init_noise_level: 0.9,
      inpaint_audio: null,
      inpaint_start_seconds: 0,
      inpaint_end_seconds: 0,
      output_format: 'wav',
    });
  });

  it("GET / asking for JSON answers Cog's discovery document; a browser still gets the editor", async () => {
    const json = await t.request('/', { headers: { accept: 'application/json' } });
    expect(json.status).toBe(200);
    expect(readDiscoveryDocument(json.body, 'GET / (JSON)')).toEqual({
      cog_version: '0.16.12',
      openapi_url: '/openapi.json',
      healthcheck_url: '/health-check',
      predictions_url: '/predictions',
      predictions_idempotent_url: '/predictions/{prediction_id}',
      predictions_cancel_url: '/predictions/{prediction_id}/cancel',
    });
    const page = await t.request('/', { headers: { accept: 'text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('/openapi.json names every Cog route served, with the response schemas', async () => {
    const { status, body } = await t.request('/openapi.json');
    expect(status).toBe(200);
    const doc = readOpenApiDocument(body, 'GET /openapi.json');
    expect(Object.fromEntries(Object.entries(doc.paths).map(([path, methods]) => [path, Object.keys(methods).sort()]))).toEqual({
      '/': ['get'],
      '/health-check': ['get'],
      '/predictions': ['post'],
      '/predictions/{prediction_id}': ['get', 'put'],
      '/predictions/{prediction_id}/cancel': ['post'],
    });
    const response = (path: string, method: string, code: string) => doc.paths[path]![method]!.responses[code];
    const schemaOf = { content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictionResponse' } } } };
    const invalid = { content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } } };
    for (const [path, method] of [
      ['/predictions', 'post'],
      ['/predictions/{prediction_id}', 'put'],
    ] as const) {
      expect(response(path, method, '200')).toMatchObject(schemaOf);
      expect(response(path, method, '422')).toMatchObject(invalid);
    }
    expect(Object.keys(doc.schemas.PredictionResponse!.properties as object).sort()).toEqual(
      ['completed_at', 'created_at', 'error', 'id', 'input', 'logs', 'metrics', 'output', 'started_at', 'status'].sort(),
    );
    expect(doc.schemas.HTTPValidationError!.properties).toEqual({
      detail: { title: 'Detail', type: 'array', items: { $ref: '#/components/schemas/ValidationError' } },
    });
    expect(doc.schemas.ValidationError!.required).toEqual(['loc', 'msg', 'type']);
  });

  it('webhook events: start, logs while it runs, output (still processing), completed, in that order', async () => {
    const received: Prediction[] = [];
    let sawLogs!: () => void;
    let completed!: () => void;
    const logsArrived = new Promise<void>((resolve) => (sawLogs = resolve));
    const done = new Promise<void>((resolve) => (completed = resolve));
    const receiver = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        const body = readPrediction(JSON.parse(text), `webhook ${received.length + 1}`);
        received.push(body);
        res.end('ok');
        if (body.logs !== '' && body.status === 'processing') sawLogs();
        if (body.status === 'succeeded') completed();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const webhook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    t.engine.close();
    const accepted = await t.request('/predictions', {
      method: 'POST',
      headers: { prefer: 'respond-async' },
      json: { id: 'hooked', input: { prompt: 'mid', duration: 2 }, webhook },
    });
    expect(accepted.status).toBe(202);
    await logsArrived; // the prompt is encoded and sampling is held: its log line has been sent
    t.engine.open();
    await done;
    receiver.close();
    const kinds = received.map((p) => (p.status !== 'processing' ? p.status : p.output ? 'output' : p.logs ? 'logs' : 'start'));
    expect(kinds[0]).toBe('start');
    expect(kinds.slice(-2)).toEqual(['output', 'succeeded']);
    expect(kinds.slice(1, -2).every((k) => k === 'logs')).toBe(true);
    expect(kinds).toContain('logs');
    const [output, final] = received.slice(-2);
    expect(output).toMatchObject({ id: 'hooked', status: 'processing', completed_at: null });
    expect(output!.output).toMatch(/^data:audio\/wav;base64,/);
    expect(final).toMatchObject({ id: 'hooked', status: 'succeeded', output: output!.output });
  });
});
