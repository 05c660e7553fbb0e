import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplesDir } from '../helpers/paths.js';
import { startTestServer, type TestServer } from './server-fixture.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ queueDepth: 8, predictionQueueDepth: 8 });
});
afterAll(() => t.server.close());

const quickRun = async (priority?: string): Promise<{ status: number; body: unknown }> => {
  const workflow = JSON.parse(await readFile(join(examplesDir, 'text-to-audio.json'), 'utf8')) as unknown;
  return t.request('/api/runs', {
    method: 'POST',
    json: { workflow, overrides: { 'generate.duration': 1, 'generate.steps': 4 }, ...(priority ? { priority } : {}) },
  });
};

async function ended(path: string): Promise<Record<string, unknown>> {
  let body: Record<string, unknown> = {};
  await expect
    .poll(async () => {
      body = (await t.request(path)).body as Record<string, unknown>;
      return ['succeeded', 'failed', 'canceled', 'cancelled'].includes(body.status as string);
    })
    .toBe(true);
  return body;
}

describe('run priorities', () => {
  it('an editor run queued after API predictions starts before them; a run asked as batch waits its turn behind them', async () => {
    t.engine.close();
    const held = t.engine.arrival();
    const first = (await quickRun()).body as { id: string };
    await held;

    const v1 = [];
    for (const seed of [1, 2]) {
      const created = await t.request('/v1/models/jimothyjohn/stable-audio-3-medium/predictions', {
        method: 'POST',
        json: { input: { prompt: 'low', duration: 1, steps: 4, seed } },
      });
      expect(created.status).toBe(201);
      v1.push((created.body as { id: string }).id);
    }
    const cog = await t.request('/predictions/cog-batch', {
      method: 'PUT',
      headers: { prefer: 'respond-async' },
      json: { input: { prompt: 'mid', duration: 1, steps: 4 } },
    });
    expect(cog.status).toBe(202);
    const interactive = (await quickRun()).body as { id: string };
    const batch = (await quickRun('batch')).body as { id: string };
    t.engine.open();

    const startOf = async (path: string, field: string): Promise<string> => {
      const body = await ended(path);
      expect(body.status).toBe('succeeded');
      return body[field] as string;
    };
    const starts = {
      first: await startOf(`/api/runs/${first.id}`, 'startedAt'),
      interactive: await startOf(`/api/runs/${interactive.id}`, 'startedAt'),
      v1a: await startOf(`/v1/predictions/${v1[0]}`, 'started_at'),
      v1b: await startOf(`/v1/predictions/${v1[1]}`, 'started_at'),
      cog: await startOf('/predictions/cog-batch', 'started_at'),
      batch: await startOf(`/api/runs/${batch.id}`, 'startedAt'),
    };
    const order = Object.entries(starts)
      .sort((a, b) => Date.parse(a[1]) - Date.parse(b[1]))
      .map(([name]) => name);
    expect(order).toEqual(['first', 'interactive', 'v1a', 'v1b', 'cog', 'batch']);
  });

  it('refuses a priority it does not know, naming the field', async () => {
    const refused = await quickRun('urgent');
    expect(refused.status).toBe(422);
    expect((refused.body as { detail: string }).detail).toBe(
      '"priority" must be "interactive" (the default: ahead of batch runs and API predictions) or "batch", got "urgent"',
    );
  });
});
