import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueModelListSchema, modelListSchema, modelPullStateSchema, parsePayload, type ModelPullState } from '@sa3/nodes';
import { catalogueEntry } from '@sa3/runtime';
import type { FakeHub } from '../../packages/runtime/test/helpers/fake-hub.js';
import { startPublishedHub, type PublishedHub } from '../helpers/published-hub.js';
import { startTestServer, type TestServer } from './server-fixture.js';

let published: PublishedHub;
let hub: FakeHub;
let t: TestServer;

beforeAll(async () => {
  published = await startPublishedHub('small-music');
  hub = published.hub;
  t = await startTestServer();
});

afterAll(async () => {
  await t?.server.close();
  await published?.close();
});

async function pullState(id: string): Promise<ModelPullState> {
  const answer = await t.request(`/api/models/${id}/pull`);
  expect(answer.status).toBe(200);
  return parsePayload(modelPullStateSchema, answer.body, `GET /api/models/${id}/pull`);
}

describe('pulling a pack from the workflow API', () => {
  it('lists the catalogue with what is installed and what can be pulled', async () => {
    const catalogue = parsePayload(catalogueModelListSchema, (await t.request('/api/models/catalogue')).body, 'GET /api/models/catalogue');
    expect(catalogue.find((m) => m.id === 'medium')?.status).toBe('installed');
    const smallMusic = catalogue.find((m) => m.id === 'small-music')!;
    expect(smallMusic.status).toBe('pullable');
    expect(smallMusic.maxSeconds).toBeCloseTo(catalogueEntry('small-music').maxSamples / 44_100, 6);
  });

  it('POST starts the pull sa3 models pull runs; GET follows it to installed, and /api/models lists the pack with its limit', async () => {
    const started = await t.request('/api/models/small-music/pull', { method: 'POST' });
    expect(started.status).toBe(202);
    expect(parsePayload(modelPullStateSchema, started.body, 'POST /api/models/small-music/pull')).toMatchObject({ id: 'small-music', status: 'running' });
    const seen: ModelPullState[] = [];
    await expect
      .poll(
        async () => {
          const state = await pullState('small-music');
          seen.push(state);
          return state.status;
        },
        { timeout: 120_000, interval: 50 },
      )
      .toBe('installed');
    const last = seen.at(-1)!;
    expect(last.bytesTotal).toBeGreaterThan(0);
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(existsSync(join(t.home, 'packs', 'small-music', 'sa3-pack.json'))).toBe(true);
    expect(hub.requests.some((r) => r.kind === 'resolve' || r.kind === 'cdn')).toBe(true);

    const models = parsePayload(modelListSchema, (await t.request('/api/models')).body, 'GET /api/models');
    const pulled = models.find((m) => m.id === 'small-music')!;
    expect(pulled.maxSeconds).toBeCloseTo(catalogueEntry('small-music').maxSamples / 44_100, 6);
    // "auto" prefers medium, which the test server has.
    expect(models.filter((m) => m.auto).map((m) => m.id)).toEqual(['medium']);

    const again = await t.request('/api/models/small-music/pull', { method: 'POST' });
    expect(again.status).toBe(202);
    await expect.poll(async () => (await pullState('small-music')).phase).toBe('already installed');
  });

  it('refuses a pack it does not know, and a state nobody started, in one sentence each', async () => {
    const unknown = await t.request('/api/models/nope/pull', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect((unknown.body as { detail: string }).detail).toMatch(/^"nope" is not a pack sa3 knows; the known packs are medium, /);
    const none = await t.request('/api/models/small-sfx/pull');
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ detail: 'no pull of "small-sfx" was started on this server' });
  });

  it('a pull the hub cannot serve ends as failed with the reason', async () => {
    await hub.close();
    const started = await t.request('/api/models/small-sfx/pull', { method: 'POST' });
    expect(started.status).toBe(202);
    await expect.poll(async () => (await pullState('small-sfx')).status, { timeout: 60_000 }).toBe('failed');
    const failed = await pullState('small-sfx');
    expect(failed.message).toMatch(/^cannot reach 127\.0\.0\.1:\d+ \(HF_ENDPOINT\)/);
    expect(existsSync(join(t.home, 'packs', 'small-sfx'))).toBe(false);
  });
});
