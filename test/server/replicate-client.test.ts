import { createServer, type IncomingMessage } from 'node:http';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Replicate, { validateWebhook, type FileOutput, type Prediction } from 'replicate';
import { decodeWithFfmpeg, dominantFrequency, probe } from '../helpers/audio-probe.js';
import { tempDir } from '../helpers/cli.js';
import { readSharedJson } from '../helpers/shared.js';
import { startTestServer, type TestServer } from './server-fixture.js';

const MODEL = 'jimothyjohn/stable-audio-3-medium';
const MID = (41 * 44_100) / 4096;
let t: TestServer;
let replicate: Replicate;
let scratch: string;

beforeAll(async () => {
  t = await startTestServer();
  replicate = new Replicate({ auth: 'r8_unused', baseUrl: `${t.url}/v1` });
  scratch = await tempDir('sa3-replicate-');
});
afterAll(() => t.server.close());

/** Writes bytes to a file and decodes it with ffmpeg: the left channel and the codec. */
async function decode(bytes: Uint8Array): Promise<{ left: Float32Array; codec: string }> {
  const path = join(scratch, `${Math.random().toString(36).slice(2)}.audio`);
  await writeFile(path, bytes);
  return { left: decodeWithFfmpeg(path)[0]!, codec: probe(path).codec };
}

function isFileOutput(value: unknown): value is FileOutput {
  return value instanceof ReadableStream && typeof (value as { blob?: unknown }).blob === 'function';
}

async function fileOutputAudio(output: unknown): Promise<{ left: Float32Array; codec: string; type: string }> {
  if (!isFileOutput(output)) throw new Error(`the output is not a FileOutput: ${String(output).slice(0, 60)}`);
  const blob = await output.blob();
  return { ...(await decode(new Uint8Array(await blob.arrayBuffer()))), type: blob.type };
}

function decodeDataUri(uri: unknown): Uint8Array {
  const match = typeof uri === 'string' ? /^data:[^;,]+;base64,(.*)$/s.exec(uri) : null;
  if (!match) throw new Error(`not a base64 data URI: ${String(uri).slice(0, 40)}`);
  return Buffer.from(match[1]!, 'base64');
}

async function outputFolder(id: string): Promise<string[]> {
  return readdir(join(t.home, 'outputs', id)).catch(() => []);
}

describe("Replicate's JavaScript client against sa3 serve", () => {
  it("run(model): a FileOutput whose blob is a WAV of exactly the requested duration, in the prompt's tone", async () => {
    const output = await replicate.run(MODEL, { input: { prompt: 'a soft mid tone', duration: 3, seed: 5 } });
    const { left, codec } = await fileOutputAudio(output);
    expect(codec).toMatch(/^pcm_/);
    expect(left.length).toBe(3 * 44_100);
    expect(dominantFrequency(left, 44_100, 0)).toBeCloseTo(MID, -0.5);
  });

  it('run(model:version) with mp3 output: the FileOutput is an MP3 of the requested duration', async () => {
    const { latest_version } = await replicate.models.get('jimothyjohn', 'stable-audio-3-medium');
    const output = await replicate.run(`${MODEL}:${latest_version!.id}`, { input: { prompt: 'mid', duration: 2, output_format: 'mp3' } });
    const { left, codec } = await fileOutputAudio(output);
    expect(codec).toBe('mp3');
    expect(left.length).toBe(2 * 44_100);
  });

  it('predictions.create without wait answers at once; wait() and get() see it succeed', async () => {
    const created = await replicate.predictions.create({ model: MODEL, input: { prompt: 'mid', duration: 2 } });
    expect(['starting', 'processing']).toContain(created.status);
    expect(created).toMatchObject({ model: MODEL, output: null, error: null, source: 'api' });
    expect(created.version).toMatch(/^[0-9a-f]{64}$/);
    expect(created.urls.get).toBe(`${t.url}/v1/predictions/${created.id}`);
    const done = await replicate.wait(created, { interval: 20 });
    expect(done.status).toBe('succeeded');
    const fetched = await replicate.predictions.get(created.id);
    expect(fetched).toMatchObject({ id: created.id, status: 'succeeded', input: { prompt: 'mid', duration: 2 } });
    expect(fetched.metrics?.predict_time).toBeGreaterThan(0);
    expect(fetched.completed_at).toBe(done.completed_at);
    expect((await decode(decodeDataUri(fetched.output))).left.length).toBe(2 * 44_100);
  });

  it('predictions.create with wait: true answers with the finished prediction', async () => {
    const prediction = await replicate.predictions.create({ model: MODEL, input: { prompt: 'mid', duration: 1 }, wait: true });
    expect(prediction.status).toBe('succeeded');
    expect((await decode(decodeDataUri(prediction.output))).left.length).toBe(44_100);
  });

  it('Prefer: wait=1 on a prediction still running answers "starting"; cancel ends it canceled with no output file', async () => {
    t.engine.close();
    const arrived = t.engine.arrival();
    try {
      const held = await replicate.predictions.create({ model: MODEL, input: { prompt: 'mid', duration: 3 }, wait: 1 });
      expect(held.status).toBe('starting');
      await arrived;
      const canceled = await replicate.predictions.cancel(held.id);
      expect(canceled).toMatchObject({ id: held.id, status: 'canceled', output: null });
      expect((await replicate.predictions.get(held.id)).status).toBe('canceled');
      expect(await outputFolder(held.id)).toEqual([]);
    } finally {
      t.engine.open();
    }
  });

  it('run with an AbortSignal cancels the prediction: it ends canceled and leaves no output file', async () => {
    t.engine.close();
    const arrived = t.engine.arrival();
    const controller = new AbortController();
    const seen: Prediction[] = [];
    try {
      const running = replicate.run(MODEL, { input: { prompt: 'mid', duration: 3 }, signal: controller.signal, wait: { mode: 'poll', interval: 10 } }, (p) =>
        seen.push(p),
      );
      await arrived;
      controller.abort();
      expect(await running).toBeNull();
      const last = seen.at(-1)!;
      expect(last.status).toBe('canceled');
      expect(await outputFolder(last.id)).toEqual([]);
    } finally {
      t.engine.open();
    }
  });

  it('predictions.list pages through every prediction once with the cursor links, newest first', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await replicate.predictions.create({ model: MODEL, input: { prompt: 'low', duration: 1 }, wait: true })).id);
    const first = await replicate.predictions.list();
    expect(first.next).toBeNull();
    const everything = first.results.map((p) => p.id);
    expect(everything.slice(0, 3)).toEqual([...made].reverse());
    const pages: string[][] = [];
    for await (const page of replicate.paginate<Prediction>(async () => {
      const response = await replicate.request('/predictions', { params: { page_size: 2 } });
      return (await response.json()) as { next?: string; previous?: string; results: Prediction[] };
    }))
      pages.push(page.map((p) => p.id));
    expect(pages.flat()).toEqual(everything);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.length).toBe(Math.ceil(everything.length / 2));
  });

  it('models.get and versions.list/get describe the one version, with the reference input schema', async () => {
    const model = await replicate.models.get('jimothyjohn', 'stable-audio-3-medium');
    expect(model).toMatchObject({ owner: 'jimothyjohn', name: 'stable-audio-3-medium', visibility: 'public' });
    const versions = await replicate.models.versions.list('jimothyjohn', 'stable-audio-3-medium');
    expect(versions.results.map((v) => v.id)).toEqual([model.latest_version!.id]);
    const version = await replicate.models.versions.get('jimothyjohn', 'stable-audio-3-medium', model.latest_version!.id);
    expect(version).toEqual(model.latest_version);
    const schemas = (version.openapi_schema as { components: { schemas: { Input: unknown; Output: unknown } } }).components.schemas;
    const reference = readSharedJson('reference/replicate-stable-audio-3-medium.schema.json') as { input: unknown; output: unknown } | null;
    if (reference) {
      expect(schemas.Input).toEqual(reference.input);
      expect(schemas.Output).toEqual(reference.output);
    }
    await expect(replicate.models.versions.get('jimothyjohn', 'stable-audio-3-medium', 'f'.repeat(64))).rejects.toThrow(/404/);
  });

  it('files.create, then its urls.get as init_audio: the output has the requested duration', async () => {
    const wav = await readFile(new URL('../../examples/audio/chord.wav', import.meta.url));
    const file = await replicate.files.create(wav, { purpose: 'init audio' });
    expect(file).toMatchObject({ size: wav.length, metadata: { purpose: 'init audio' }, urls: { get: `${t.url}/v1/files/${file.id}` } });
    expect((await replicate.files.get(file.id)).checksums.sha256).toBe(file.checksums.sha256);
    const output = await replicate.run(MODEL, { input: { prompt: 'deep low hum', init_audio: file.urls.get, init_noise_level: 0.8, duration: 4 } });
    expect((await fileOutputAudio(output)).left.length).toBe(4 * 44_100);
    expect(await replicate.files.delete(file.id)).toBe(true);
    await expect(replicate.files.get(file.id)).rejects.toThrow(/404/);
  });

  it('stream(): logs while it runs, then the output and done, each event with an id', async () => {
    const events: { event: string; data: string; id: string | undefined }[] = [];
    for await (const event of replicate.stream(MODEL, { input: { prompt: 'mid', duration: 2 } }))
      events.push({ event: event.event, data: String(event.data), id: event.id });
    expect(events.at(-1)!.event).toBe('done');
    expect(events.map((e) => e.event).filter((e) => e !== 'logs')).toEqual(['output', 'done']);
    expect(events.some((e) => e.event === 'logs' && /step \d+\/\d+/.test(e.data))).toBe(true);
    expect(events.every((e) => /^\d+$/.test(e.id ?? ''))).toBe(true);
    const output = events.find((e) => e.event === 'output')!.data;
    expect((await decode(decodeDataUri(output))).left.length).toBe(2 * 44_100);
  });

  it('webhooks are signed so validateWebhook() accepts them, in order, honouring the filter', async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    let completed!: () => void;
    const done = new Promise<void>((resolve) => (completed = resolve));
    const receiver = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(req.headers[h])]));
        received.push({ headers, body });
        res.end('ok');
        // The output and completed events both carry the finished prediction.
        if (received.filter((r) => (JSON.parse(r.body) as Prediction).status === 'succeeded').length === 2) completed();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as { port: number }).port;
      const created = await replicate.predictions.create({
        model: MODEL,
        input: { prompt: 'mid', duration: 2 },
        webhook: `http://127.0.0.1:${port}/hook`,
        webhook_events_filter: ['start', 'output', 'completed'],
      });
      await done;
      const { key } = await replicate.webhooks.default.secret.get();
      expect(key).toMatch(/^whsec_/);
      for (const delivery of received) expect(await validateWebhook({ headers: delivery.headers, body: delivery.body } as unknown as Request, key)).toBe(true);
      const bodies = received.map((r) => JSON.parse(r.body) as Prediction);
      expect(bodies.every((b) => b.id === created.id)).toBe(true);
      // start, then output, then completed: the last two carry the finished prediction.
      expect(bodies.length).toBe(3);
      expect(bodies[0]!.status).toMatch(/starting|processing/);
      expect(bodies.slice(1).map((b) => b.status)).toEqual(['succeeded', 'succeeded']);
      expect((await decode(decodeDataUri(bodies[2]!.output))).left.length).toBe(2 * 44_100);
      const forged = { ...received[2]!, body: received[2]!.body.replace('"succeeded"', '"failed"') };
      expect(await validateWebhook({ headers: forged.headers, body: forged.body } as unknown as Request, key)).toBe(false);
    } finally {
      receiver.close();
    }
  });
});

describe('webhook logs events', () => {
  it('with the filter [logs, completed]: logs events carry the log so far, then completed; each signed', async () => {
    const bodies: Prediction[] = [];
    const deliveries: { headers: Record<string, string>; body: string }[] = [];
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const receiver = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        deliveries.push({
          headers: Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(req.headers[h])])),
          body,
        });
        bodies.push(JSON.parse(body) as Prediction);
        res.end('ok');
        if (bodies.at(-1)!.status === 'succeeded') finished();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as { port: number }).port;
      await replicate.predictions.create({
        model: MODEL,
        input: { prompt: 'mid', duration: 2, steps: 8 },
        webhook: `http://127.0.0.1:${port}/hook`,
        webhook_events_filter: ['logs', 'completed'],
      });
      await done;
      const { key } = await replicate.webhooks.default.secret.get();
      for (const delivery of deliveries)
        expect(await validateWebhook({ headers: delivery.headers, body: delivery.body } as unknown as Request, key)).toBe(true);
      expect(bodies.length).toBeGreaterThanOrEqual(2);
      expect(bodies.slice(0, -1).every((b) => b.status === 'processing' && (b.logs ?? '').length > 0)).toBe(true);
      // Each logs event holds at least what the one before it held, and completed holds it all.
      for (let i = 1; i < bodies.length; i++) expect(bodies[i]!.logs!.startsWith(bodies[i - 1]!.logs!)).toBe(true);
      expect(bodies.at(-1)!.logs).toMatch(/step 8\/8/);
    } finally {
      receiver.close();
    }
  });
});

describe('behind a TLS proxy (--public-url) with a bearer token', () => {
  const PUBLIC = 'https://audio.example.test';
  let secured: TestServer;
  let client: Replicate;

  beforeAll(async () => {
    secured = await startTestServer({ publicUrl: PUBLIC, token: 's3cret' });
    // The proxy: https://audio.example.test is this server.
    const proxied = (input: Request | string, init?: RequestInit): Promise<Response> =>
      fetch(String(input instanceof Request ? input.url : input).replace(PUBLIC, secured.url), init);
    client = new Replicate({ auth: 's3cret', baseUrl: `${PUBLIC}/v1`, fetch: proxied });
  });
  afterAll(() => secured.server.close());

  it('outputs are absolute https URLs under /v1/files that download without the token, as WAV and MP3 of the requested duration', async () => {
    for (const [format, codec] of [
      ['wav', /^pcm_/],
      ['mp3', /^mp3$/],
    ] as const) {
      const output = await client.run(MODEL, { input: { prompt: 'mid', duration: 2, output_format: format } });
      if (!isFileOutput(output)) throw new Error('the output is not a FileOutput');
      const url = output.url();
      expect(url.origin).toBe(PUBLIC);
      expect(url.pathname).toMatch(/^\/v1\/files\/[a-z0-9]+-output\/download$/);
      expect(url.searchParams.get('expiry')).toMatch(/^\d+$/);
      const audio = await fileOutputAudio(output);
      expect(audio.codec).toMatch(codec);
      expect(audio.left.length).toBe(2 * 44_100);
    }
  });

  it('the API itself still needs the token; a download needs the token or a valid signature', async () => {
    const anonymous = new Replicate({ auth: '', baseUrl: `${secured.url}/v1` });
    await expect(anonymous.models.get('jimothyjohn', 'stable-audio-3-medium')).rejects.toThrow(/401/);
    const prediction = await client.predictions.create({ model: MODEL, input: { prompt: 'mid', duration: 1 }, wait: true });
    const link = new URL(String(prediction.output));
    const local = (url: URL, headers: Record<string, string> = {}) => fetch(`${secured.url}${url.pathname}${url.search}`, { headers });
    expect((await local(link)).status).toBe(200);
    const forged = new URL(link);
    forged.searchParams.set('signature', 'A'.repeat(43));
    expect((await local(forged)).status).toBe(403);
    expect((await local(forged, { authorization: 'Bearer s3cret' })).status).toBe(200);
    const unsigned = new URL(link.pathname, link);
    expect((await local(unsigned)).status).toBe(401);
    expect((await local(unsigned, { authorization: 'Bearer s3cret' })).status).toBe(200);
  });
});
