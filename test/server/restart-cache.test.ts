import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskResultStore } from '@sa3/runtime';
import { findChunk, parseRiff } from '@sa3/nodes';
import { outputOf, readPrediction } from './cog-payloads.js';
import { decodeDataUri, startTestServer, type TestServer } from './server-fixture.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The PCM of a WAV data URI (the file around it names the prediction, so it differs). */
function samplesOf(uri: string): Buffer {
  const bytes = decodeDataUri(uri);
  const data = findChunk(parseRiff(bytes)!, 'data')!;
  return bytes.subarray(data.dataOffset, data.dataOffset + data.size);
}

async function predict(t: TestServer, seed: number): Promise<string> {
  const { status, body } = await t.request('/predictions', { method: 'POST', json: { input: { prompt: 'a soft mid tone', duration: 3, seed } } });
  expect(status).toBe(200);
  const prediction = readPrediction(body, 'POST /predictions');
  expect(prediction.status).toBe('succeeded');
  return outputOf(prediction);
}

describe('a server with a result store', () => {
  it('a restarted server answers a prediction it made before without the engine, with the same audio', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'sa3-server-cache-'));
    dirs.push(cache);
    const first = await startTestServer({ store: new DiskResultStore(cache) });
    dirs.push(first.home);
    const made = await predict(first, 21);
    expect(first.engine.calls).toBe(1);
    await first.server.close();
    expect(await readdir(cache)).toHaveLength(1);

    const second = await startTestServer({ store: new DiskResultStore(cache) });
    dirs.push(second.home);
    try {
      expect(samplesOf(await predict(second, 21)).equals(samplesOf(made))).toBe(true);
      expect(second.engine.calls).toBe(0);
      await predict(second, 22); // another seed is new audio
      expect(second.engine.calls).toBe(1);
    } finally {
      await second.server.close();
    }
  });
});
