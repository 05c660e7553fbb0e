import { createServer, type IncomingMessage } from 'node:http';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWithFfmpeg, dominantFrequency, probe } from '../helpers/audio-probe.js';
import { tempDir } from '../helpers/cli.js';
import { readSharedJson } from '../helpers/shared.js';
import { errorBodySchema, parsePayload } from '@sa3/nodes';
import { outputOf, readOpenApiSchemas, readPrediction, type Prediction } from './cog-payloads.js';
import { decodeDataUri, startTestServer, type TestServer } from './server-fixture.js';

const MID = (41 * 44_100) / 4096;
const LOW = (20 * 44_100) / 4096;
let t: TestServer;
let scratch: string;

beforeAll(async () => {
  t = await startTestServer();
  scratch = await tempDir('sa3-cog-');
});
afterAll(() => t.server.close());

async function audioOf(output: string): Promise<{ path: string; left: Float32Array }> {
  const bytes = output.startsWith('data:') ? decodeDataUri(output) : Buffer.from(await (await fetch(t.url + output)).arrayBuffer());
  const path = join(scratch, `${Math.random().toString(36).slice(2)}.${bytes.subarray(0, 4).toString() === 'RIFF' ? 'wav' : 'mp3'}`);
  await writeFile(path, bytes);
  return { path, left: decodeWithFfmpeg(path)[0]! };
}

describe("Cog predictions with the hosted model's schema", () => {
  it('/openapi.json carries exactly the reference input schema', async () => {
    const reference = readSharedJson('reference/replicate-stable-audio-3-medium.schema.json') as { input: unknown; output: unknown } | null;
    const schemas = readOpenApiSchemas((await t.request('/openapi.json')).body, 'GET /openapi.json');
    if (reference) {
      expect(schemas.Input).toEqual(reference.input);
      expect(schemas.Output).toEqual(reference.output);
    }
    expect(schemas.Input.required).toEqual(['prompt']);
  });

  it('/health-check is READY with a pack installed', async () => {
    expect((await t.request('/health-check')).body).toMatchObject({ status: 'READY' });
  });

  it("text to audio: the requested duration, the prompt's tone, as a WAV data URI", async () => {
    const { status, body } = await t.request('/predictions', { method: 'POST', json: { input: { prompt: 'a soft mid tone', duration: 12, seed: 7 } } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'succeeded', error: null, input: { prompt: 'a soft mid tone', duration: 12, seed: 7 } });
    const prediction = readPrediction(body, 'POST /predictions');
    expect(prediction.output).toMatch(/^data:audio\/wav;base64,/);
    expect(prediction.metrics.predict_time).toBeGreaterThan(0);
    const { left } = await audioOf(outputOf(prediction));
    expect(left.length).toBe(12 * 44_100);
    expect(dominantFrequency(left, 44_100, 0)).toBeCloseTo(MID, -0.5);
  });

  it('init audio as a data: URI, mp3 output', async () => {
    const wav = await readFile(new URL('../../examples/audio/chord.wav', import.meta.url));
    const { status, body } = await t.request('/predictions', {
      method: 'POST',
      json: {
        input: {
          prompt: 'deep low hum',
          init_audio: `data:audio/wav;base64,${wav.toString('base64')}`,
          init_noise_level: 0.8,
          duration: 4,
          output_format: 'mp3',
        },
      },
    });
    expect(status).toBe(200);
    const prediction = readPrediction(body, 'POST /predictions');
    expect(prediction.output).toMatch(/^data:audio\/mpeg;base64,/);
    const { path, left } = await audioOf(outputOf(prediction));
    expect(probe(path).codec).toBe('mp3');
    expect(left.length).toBe(4 * 44_100);
  });

  it('inpaint with start = the file length extends it to the requested duration, keeping it', async () => {
    const first = outputOf(
      readPrediction((await t.request('/predictions', { method: 'POST', json: { input: { prompt: 'low', duration: 5, seed: 2 } } })).body, 'POST /predictions'),
    );
    const firstAudio = await audioOf(first);
    const { status, body } = await t.request('/predictions', {
      method: 'POST',
      json: { input: { prompt: 'low', inpaint_audio: first, inpaint_start_seconds: 5, duration: 11, seed: 3 } },
    });
    expect(status, JSON.stringify(body)).toBe(200);
    const { left } = await audioOf(outputOf(readPrediction(body, 'POST /predictions (inpaint)')));
    expect(left.length).toBe(11 * 44_100);
    for (let i = 0; i < 5 * 44_100; i += 101) expect(left[i]).toBe(firstAudio.left[i]);
    expect(dominantFrequency(left.slice(5 * 44_100), 44_100, 0)).toBeCloseTo(LOW, -0.5);
  });

  it('returns a URL on this server instead of a data URI when asked', async () => {
    const { body } = await t.request('/predictions?output=url', { method: 'POST', json: { input: { prompt: 'mid', duration: 2 } } });
    const prediction = readPrediction(body, 'POST /predictions?output=url');
    expect(prediction.output).toMatch(/^\/api\/runs\/[^/]+\/outputs\/.+\.wav$/);
    expect((await audioOf(outputOf(prediction))).left.length).toBe(2 * 44_100);
  });

  it('async with a webhook: start and completed reach a local receiver', async () => {
    const received: { event: string; body: Prediction }[] = [];
    let completed!: () => void;
    const done = new Promise<void>((resolve) => (completed = resolve));
    const receiver = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        const body = readPrediction(JSON.parse(text), `webhook ${received.length + 1}`);
        received.push({ event: body.status, body });
        res.end('ok');
        if (body.status === 'succeeded') completed();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    const { status, body } = await t.request('/predictions', {
      method: 'POST',
      headers: { prefer: 'respond-async' },
      json: { input: { prompt: 'mid', duration: 3 }, webhook: `http://127.0.0.1:${port}/hook`, webhook_events_filter: ['start', 'completed'] },
    });
    expect(status).toBe(202);
    const accepted = readPrediction(body, 'POST /predictions (async)');
    expect(['starting', 'processing']).toContain(accepted.status);
    await done;
    receiver.close();
    expect(received[0]!.event).toMatch(/starting|processing/);
    const wavDataUri: unknown = expect.stringMatching(/^data:audio\/wav/);
    expect(received.at(-1)!.body).toMatchObject({ id: accepted.id, status: 'succeeded', output: wavDataUri });
  });

  it('PUT twice with the same id runs once', async () => {
    const before = t.engine.calls;
    const first = await t.request('/predictions/my-take-1', {
      method: 'PUT',
      headers: { prefer: 'respond-async' },
      json: { input: { prompt: 'mid', duration: 2 } },
    });
    const second = await t.request('/predictions/my-take-1', {
      method: 'PUT',
      headers: { prefer: 'respond-async' },
      json: { input: { prompt: 'mid', duration: 2 } },
    });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const [firstTake, secondTake] = [readPrediction(first.body, 'PUT /predictions/my-take-1'), readPrediction(second.body, 'PUT /predictions/my-take-1 again')];
    expect(secondTake.id).toBe('my-take-1');
    expect(secondTake.created_at).toBe(firstTake.created_at);
    await t.server.runs.get('my-take-1')!.done;
    const final = await t.request('/predictions/my-take-1');
    expect(readPrediction(final.body, 'GET /predictions/my-take-1').status).toBe('succeeded');
    expect(t.engine.calls - before).toBe(1);
  });

  it('cancel mid-run: status canceled and no output file', async () => {
    t.engine.close();
    const arrived = t.engine.arrival();
    const pending = t.request('/predictions/to-cancel', { method: 'PUT', json: { input: { prompt: 'mid', duration: 3 } } });
    await arrived; // the prompt is encoded and sampling has started
    expect((await t.request('/predictions/to-cancel/cancel', { method: 'POST' })).status).toBe(200);
    const { status, body } = await pending;
    t.engine.open();
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'to-cancel', status: 'canceled', output: null });
    expect(await readdir(join(t.home, 'outputs', 'to-cancel'))).toEqual([]);
  });

  it('a client that hangs up on a synchronous prediction cancels it', async () => {
    t.engine.close();
    const arrived = t.engine.arrival();
    const controller = new AbortController();
    const pending = fetch(`${t.url}/predictions/hang-up`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'mid', duration: 3 } }),
      signal: controller.signal,
    }).catch((error: Error) => error.name);
    await arrived;
    controller.abort();
    expect(await pending).toBe('AbortError');
    const run = t.server.runs.get('hang-up')!;
    await run.done;
    t.engine.open();
    expect(run.status).toBe('cancelled');
    expect(await readdir(join(t.home, 'outputs', 'hang-up'))).toEqual([]);
  });

  it('30 concurrent requests with --queue 4: the accepted ones complete with their own audio, the rest get 409 "Already running a prediction"', async () => {
    const small = await startTestServer({ queueDepth: 4, predictionQueueDepth: 4 });
    try {
      small.engine.close();
      const notes = ['low', 'hum', 'mid', 'bright', 'high', 'bell'];
      const hz = [20, 28, 41, 56, 82, 110].map((m) => (m * 44_100) / 4096);
      const arrived = small.engine.arrival();
      const requests = Array.from({ length: 30 }, (_, i) =>
        small
          .request('/predictions', { method: 'POST', json: { input: { prompt: `a ${notes[i % 6]} tone`, duration: 2, seed: i } } })
          .then((r) => ({ i, ...r })),
      );
      await arrived;
      // Every request has been answered or accepted once 26 refusals are in; then let the 4 run.
      const refusals: number[] = [];
      await new Promise<void>((resolve) => {
        for (const r of requests)
          void r.then((result) => {
            if (result.status === 409) refusals.push(result.i);
            if (refusals.length === 26) resolve();
          });
      });
      small.engine.open();
      const results = await Promise.all(requests);
      const accepted = results.filter((r) => r.status === 200);
      expect(accepted).toHaveLength(4);
      expect(
        results
          .filter((r) => r.status === 409)
          .every((r) => parsePayload(errorBodySchema, r.body, `POST /predictions ${r.i}`).detail === 'Already running a prediction'),
      ).toBe(true);
      for (const r of accepted) {
        const prediction = readPrediction(r.body, `POST /predictions ${r.i}`);
        expect(prediction.status).toBe('succeeded');
        const bytes = decodeDataUri(outputOf(prediction));
        const path = join(scratch, `q-${r.i}.wav`);
        await writeFile(path, bytes);
        const [left] = decodeWithFfmpeg(path);
        expect(left!.length).toBe(2 * 44_100);
        expect(dominantFrequency(left!, 44_100, 0)).toBeCloseTo(hz[r.i % 6]!, -0.5);
        expect(prediction.input.seed).toBe(r.i);
      }
    } finally {
      await small.server.close();
    }
  });
});
