import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorBodySchema,
  exampleListSchema,
  modelListSchema,
  nodeCatalogueSchema,
  parsePayload,
  runEventSchema,
  runStateSchema,
  uploadReceiptSchema,
  type PayloadSchema,
  type RunEvent,
  type RunState,
} from '@sa3/nodes';
import { examplesDir } from '../helpers/paths.js';
import { readSse } from './read-sse.js';
import { startTestServer, type TestServer } from './server-fixture.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.server.close());

/**
 * Parses a real payload with its contract schema and checks that parsing dropped nothing: a field
 * the server sends and the contract does not declare fails like a missing or mistyped one.
 */
function expectContract<T>(schema: PayloadSchema<T>, value: unknown, source: string): T {
  const parsed = parsePayload(schema, value, source);
  expect(parsed, `${source}: fields the contract does not declare`).toEqual(value);
  return parsed;
}

async function example(name: string): Promise<unknown> {
  return JSON.parse(await readFile(join(examplesDir, name), 'utf8'));
}

async function submit(workflow: unknown, overrides: Record<string, unknown> = {}): Promise<RunState> {
  const answer = await t.request('/api/runs', { method: 'POST', json: { workflow, overrides } });
  expect(answer.status).toBe(202);
  return expectContract(runStateSchema, answer.body, 'POST /api/runs');
}

/** Every event of a run over SSE, each parsed with the contract; the SSE id and event name agree with it. */
async function eventsOf(runId: string): Promise<RunEvent[]> {
  const response = await fetch(`${t.url}/api/runs/${runId}/events`);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return (await readSse(response)).map((raw) => {
    const event = expectContract(runEventSchema, JSON.parse(raw.data), `SSE event ${raw.id} of run ${runId}`);
    expect(raw.event).toBe(event.type);
    expect(raw.id).toBe(String(event.seq));
    return event;
  });
}

async function stateOf(runId: string): Promise<RunState> {
  const answer = await t.request(`/api/runs/${runId}`);
  expect(answer.status).toBe(200);
  return expectContract(runStateSchema, answer.body, `GET /api/runs/${runId}`);
}

async function expectRefusal(path: string, init: Parameters<TestServer['request']>[1], status: number): Promise<void> {
  const answer = await t.request(path, init);
  expect(answer.status).toBe(status);
  expectContract(errorBodySchema, answer.body, `${init?.method ?? 'GET'} ${path}`);
}

describe('the HTTP contract in @sa3/nodes', () => {
  it('describes the node catalogue, the models and the examples', async () => {
    const nodes = expectContract(nodeCatalogueSchema, (await t.request('/api/nodes')).body, 'GET /api/nodes');
    expect(nodes.map((n) => n.type)).toContain('sa3.generate');
    const models = expectContract(modelListSchema, (await t.request('/api/models')).body, 'GET /api/models');
    expect(models.map((m) => m.id)).toEqual(['medium']);
    const examples = expectContract(exampleListSchema, (await t.request('/api/examples')).body, 'GET /api/examples');
    expect(examples.map((e) => e.file)).toContain('text-to-audio.json');
  });

  it('describes a run: its state, every event, the report, and a re-run served from cache', async () => {
    const workflow = await example('text-to-audio.json');
    const submitted = await submit(workflow, { 'generate.duration': 4, 'generate.seed': -1 });
    const events = await eventsOf(submitted.id);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['run-start', 'node-start', 'node-progress', 'node-done', 'run-done']));
    const last = events.at(-1)!;
    if (last.type !== 'run-done') throw new Error(`the run ended with ${last.type}`);
    expect(Object.keys(last.report.seeds)).toEqual(['generate']);
    const outputTypes = events.flatMap((e) => (e.type === 'node-done' ? [[e.node, Object.values(e.outputs).map((o) => o.type)]] : []));
    expect(Object.fromEntries(outputTypes)).toEqual({ prompt: ['conditioning'], generate: ['audio'], convert: ['file'], save: [] });

    const state = await stateOf(submitted.id);
    expect(state.status).toBe('succeeded');
    expect(state.report).toEqual(last.report);
    expect(state.outputs).toHaveLength(1);
    expect((await fetch(t.url + state.outputs[0]!.url)).status).toBe(200);
    // Nothing a client gets says where the server keeps its files.
    expect(JSON.stringify([state, events])).not.toContain(t.home);
    expect(JSON.stringify(state)).not.toContain('absolutePath');

    const again = await submit(workflow, { 'generate.duration': 4, 'generate.seed': last.report.seeds.generate!.seed });
    const cached = (await eventsOf(again.id)).filter((e) => e.type === 'node-cached');
    expect(cached.map((e) => e.node)).toEqual(['prompt', 'generate', 'convert']);
  });

  it('describes a failed run: the node-error event and the report that says why', async () => {
    const submitted = await submit(await example('trim-fade-mp3.json'), { 'load.source': 'audio/there-is-no-such-file.wav' });
    const events = await eventsOf(submitted.id);
    const failure = events.find((e) => e.type === 'node-error');
    expect(failure).toMatchObject({ node: 'load', nodeType: 'audio.load' });
    const last = events.at(-1)!;
    expect(last.type).toBe('run-error');
    const failed = await stateOf(submitted.id);
    expect(failed.report?.error).toMatchObject({ node: 'load', code: failure?.type === 'node-error' ? failure.code : '' });
    expect(JSON.stringify([failed, events])).not.toContain(examplesDir);
  });

  it('describes cancelled runs, the running one and one cancelled while it waited its turn', async () => {
    t.engine.close();
    const arrived = t.engine.arrival();
    const workflow = await example('text-to-audio.json');
    const running = await submit(workflow, { 'generate.duration': 3, 'prompt.text': 'a cancelled tone' });
    await arrived;
    const waiting = await submit(workflow, { 'generate.duration': 3, 'prompt.text': 'a tone that never starts' });
    for (const run of [waiting, running]) {
      const answer = await t.request(`/api/runs/${run.id}/cancel`, { method: 'POST' });
      expect(answer.status).toBe(200);
      expectContract(runStateSchema, answer.body, `POST /api/runs/${run.id}/cancel`);
    }
    const [waitingEvents, runningEvents] = [await eventsOf(waiting.id), await eventsOf(running.id)];
    t.engine.open();
    expect(waitingEvents.map((e) => e.type)).toEqual(['run-cancelled']);
    expect(runningEvents.at(-1)!.type).toBe('run-cancelled');
    for (const run of [waiting, running]) expect((await stateOf(run.id)).report?.status).toBe('cancelled');
  });

  it('describes uploads and every refusal of the workflow API', async () => {
    const wav = await readFile(join(examplesDir, 'audio/pluck-a.wav'));
    const upload = await t.request('/api/uploads?name=take.wav', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: wav });
    expect(upload.status).toBe(201);
    expectContract(uploadReceiptSchema, upload.body, 'POST /api/uploads');

    const invalid = await t.request('/api/runs', {
      method: 'POST',
      json: { workflow: { format: 'sa3-workflow', version: 1, nodes: [{ id: 'x', type: 'no.such' }] } },
    });
    expect(invalid.status).toBe(422);
    expect(expectContract(errorBodySchema, invalid.body, 'POST /api/runs (invalid)').problems?.length).toBeGreaterThan(0);
    await expectRefusal('/api/runs', { method: 'POST', json: { nothing: true } }, 422);
    await expectRefusal('/api/runs', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } }, 400);
    await expectRefusal('/api/runs/no-such-run', {}, 404);
    await expectRefusal('/api/runs/no-such-run/events', {}, 404);
    await expectRefusal('/api/runs/no-such-run/cancel', { method: 'POST' }, 404);
    await expectRefusal('/api/uploads?name=empty.wav', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: '' }, 422);
    await expectRefusal('/api/nothing-here', {}, 404);
  });
});
