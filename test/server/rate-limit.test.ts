import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRateLimit } from '@sa3/runtime';
import { examplesDir } from '../helpers/paths.js';
import { startTestServer, type TestServer } from './server-fixture.js';
import { sseEvents } from './read-sse.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ rateLimit: parseRateLimit('3/min'), queueDepth: 4, predictionQueueDepth: 4 });
});
afterAll(() => t.server.close());

const throttled =
  /^this address \(127\.0\.0\.1\) has made 3 requests that start work in the last minute, the most this server allows \(--rate-limit 3\/min\); retry in (\d+) s$/;

describe('sa3 serve --rate-limit 3/min', () => {
  it('runs three requests that start work, over any API, and refuses the fourth on each with 429, Retry-After and one sentence', async () => {
    const cog = await t.request('/predictions', { method: 'POST', json: { input: { prompt: 'mid', duration: 1, steps: 4, seed: 1 } } });
    expect(cog.status).toBe(200);
    expect((cog.body as { status: string }).status).toBe('succeeded');
    const v1 = await t.request('/v1/models/jimothyjohn/stable-audio-3-medium/predictions', {
      method: 'POST',
      headers: { prefer: 'wait' },
      json: { input: { prompt: 'low', duration: 1, steps: 4, seed: 2 } },
    });
    expect(v1.status).toBe(201);
    expect((v1.body as { status: string }).status).toBe('succeeded');
    const workflow = JSON.parse(await readFile(join(examplesDir, 'text-to-audio.json'), 'utf8')) as unknown;
    const run = await t.request('/api/runs', { method: 'POST', json: { workflow, overrides: { 'generate.duration': 1, 'generate.steps': 4 } } });
    expect(run.status).toBe(202);
    const events = [];
    for await (const raw of sseEvents(await fetch(`${t.url}/api/runs/${(run.body as { id: string }).id}/events`))) events.push(raw.event);
    expect(events.at(-1)).toBe('run-done');

    const refusals = [
      await t.request('/predictions', { method: 'POST', json: { input: { prompt: 'mid' } } }),
      await t.request('/predictions/again', { method: 'PUT', json: { input: { prompt: 'mid' } } }),
      await t.request('/v1/predictions', { method: 'POST', json: { version: 'x', input: { prompt: 'mid' } } }),
      await t.request('/v1/models/jimothyjohn/stable-audio-3-medium/predictions', { method: 'POST', json: { input: { prompt: 'mid' } } }),
      await t.request('/api/runs', { method: 'POST', json: { workflow } }),
    ];
    for (const [i, refused] of refusals.entries()) {
      expect(refused.status, `refusal ${i}`).toBe(429);
      const seconds = Number(refused.headers.get('retry-after'));
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60);
      const detail = (refused.body as { detail: string }).detail;
      expect(detail).toMatch(throttled);
      expect(Number(throttled.exec(detail)![1])).toBe(seconds);
    }
    // Replicate's routes answer in the hosted API's error shape.
    for (const refused of refusals.slice(2, 4)) {
      expect(refused.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(refused.body).toMatchObject({ title: 'Request was throttled', status: 429 });
    }
    // Nothing refused ran: three sampling calls, one per request let through.
    expect(t.engine.calls).toBe(3);
    // Reading and cancelling are never limited.
    expect((await t.request('/v1/predictions')).status).toBe(200);
    expect((await t.request('/api/runs')).status).toBe(200);
    expect((await t.request('/predictions/none/cancel', { method: 'POST' })).status).toBe(404);
  });
});
