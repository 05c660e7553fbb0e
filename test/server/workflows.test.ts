import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCatalogueSchema, parsePayload, runEventSchema, runStateSchema, uploadReceiptSchema, type RunEvent, type RunState } from '@sa3/nodes';
import { examplesDir } from '../helpers/paths.js';
import { startTestServer, type TestServer } from './server-fixture.js';
import { sseEvents } from './read-sse.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.server.close());

interface SseEvent {
  id: number;
  event: string;
  data: RunEvent;
}

/** Reads a run's SSE stream; stops after `limit` events (dropping the connection) or at its end. */
async function readEvents(runId: string, options: { lastEventId?: number; limit?: number } = {}): Promise<SseEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${t.url}/api/runs/${runId}/events`, {
    headers: options.lastEventId ? { 'last-event-id': String(options.lastEventId) } : {},
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const events: SseEvent[] = [];
  try {
    for await (const raw of sseEvents(response)) {
      const data = parsePayload(runEventSchema, JSON.parse(raw.data), `SSE event ${raw.id} of run ${runId}`);
      expect(raw.event).toBe(data.type);
      events.push({ id: Number(raw.id), event: raw.event, data });
      if (options.limit !== undefined && events.length >= options.limit) {
        controller.abort();
        return events;
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
  return events;
}

async function example(name: string): Promise<unknown> {
  return JSON.parse(await readFile(join(examplesDir, name), 'utf8'));
}

function runState(body: unknown, source: string): RunState {
  return parsePayload(runStateSchema, body, source);
}

describe('workflow API', () => {
  it('runs a posted workflow with overrides and streams node progress in order over SSE', async () => {
    const { status, body } = await t.request('/api/runs', {
      method: 'POST',
      json: { workflow: await example('text-to-audio.json'), overrides: { 'generate.duration': 4, 'prompt.text': 'a high tone' } },
    });
    expect(status).toBe(202);
    const { id } = runState(body, 'POST /api/runs');
    const events = await readEvents(id);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.event).toBe('run-start');
    expect(events.at(-1)!.event).toBe('run-done');
    const steps = events.flatMap(({ event, data }) =>
      event === 'node-progress' && data.type === 'node-progress' && data.node === 'generate' && data.phase === 'sampling' ? [data.step] : [],
    );
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const order = events.flatMap(({ event, data }) => (event === 'node-done' && data.type === 'node-done' ? [data.node] : []));
    expect(order).toEqual(['prompt', 'generate', 'convert', 'save']);

    const state = await t.request(`/api/runs/${id}`);
    expect(state.body).toMatchObject({ status: 'succeeded', report: { seeds: { generate: { seed: 1234 } } } });
    const output = runState(state.body, `GET /api/runs/${id}`).outputs[0]!;
    const bytes = Buffer.from(await (await fetch(t.url + output.url)).arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(output.sha256);
  });

  it('reconnecting with Last-Event-ID loses no event and repeats none', async () => {
    const { body } = await t.request('/api/runs', { method: 'POST', json: { workflow: await example('extend-twice.json') } });
    const { id } = runState(body, 'POST /api/runs');
    const first = await readEvents(id, { limit: 6 });
    expect(first.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    const rest = await readEvents(id, { lastEventId: 6 });
    const all = await readEvents(id);
    expect([...first, ...rest].map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect([...first, ...rest].map((e) => e.event)).toEqual(all.map((e) => e.event));
    expect(all.at(-1)!.event).toBe('run-done');
  });

  it('runs a workflow on uploaded audio', async () => {
    const wav = await readFile(join(examplesDir, 'audio/pluck-a.wav'));
    const upload = await t.request('/api/uploads?name=take.wav', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: wav });
    expect(upload.status).toBe(201);
    const uploadId: unknown = expect.stringMatching(/^upload:[0-9a-f]{16}\.wav$/);
    expect(upload.body).toMatchObject({ id: uploadId, bytes: wav.byteLength });
    const workflow = await example('trim-fade-mp3.json');
    const receipt = parsePayload(uploadReceiptSchema, upload.body, 'POST /api/uploads');
    const { body } = await t.request('/api/runs', { method: 'POST', json: { workflow, overrides: { 'load.source': receipt.id, 'trim.end_seconds': 2 } } });
    const { id } = runState(body, 'POST /api/runs');
    await t.server.runs.get(id)!.done;
    const state = runState((await t.request(`/api/runs/${id}`)).body, `GET /api/runs/${id}`);
    expect(state.status).toBe('succeeded');
    const trimmed = state.report!.nodes.find((n) => n.id === 'trim')!.outputs!.audio!;
    if (trimmed.type !== 'audio') throw new Error(`the output "audio" of trim is ${trimmed.type}, not audio`);
    expect(trimmed.frames).toBe(1.5 * 44_100);
  });

  it('cancels a run: status cancelled, the stream ends with run-cancelled, no output', async () => {
    t.engine.close();
    const arrived = t.engine.arrival();
    const { body } = await t.request('/api/runs', { method: 'POST', json: { workflow: await example('text-to-audio.json') } });
    const { id } = runState(body, 'POST /api/runs');
    await arrived;
    const cancelled = await t.request(`/api/runs/${id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    const events = await readEvents(id);
    t.engine.open();
    expect(events.at(-1)!.event).toBe('run-cancelled');
    const state = await t.request(`/api/runs/${id}`);
    expect(state.body).toMatchObject({ status: 'cancelled', outputs: [] });
  });

  it('lists node types and installed model packs', async () => {
    const nodes = parsePayload(nodeCatalogueSchema, (await t.request('/api/nodes')).body, 'GET /api/nodes');
    expect(nodes.map((n) => n.type)).toEqual(expect.arrayContaining(['sa3.prompt', 'sa3.generate', 'sa3.extend', 'audio.load', 'audio.convert', 'audio.save']));
    expect(nodes.find((n) => n.type === 'sa3.generate')!.params.duration).toMatchObject({ min: 1, max: 380, default: 30 });
    const models = await t.request('/api/models');
    expect(models.body).toEqual([expect.objectContaining({ id: 'medium', objective: 'rf_denoiser' })]);
  });

  it('serves a page at /', async () => {
    const page = await fetch(t.url + '/');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/sa3-workflows/);
  });
});
