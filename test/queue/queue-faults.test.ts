import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TESTPACK_NOTES } from '@sa3/runtime/testpack';
import { decodeWithFfmpeg, dominantFrequency } from '../helpers/audio-probe.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { redisSkipReason, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { isolatedDirs, startSa3, startServe, type Sa3Process } from '../hostile/sa3-process.js';
import { readPrediction } from '../server/cog-payloads.js';
import { decodeDataUri } from '../server/server-fixture.js';
import { openRunEvents } from './run-event-stream.js';

if (redisSkipReason) console.warn(redisSkipReason);

/** Replicate's prediction object, the fields these tests read. */
interface ReplicatePrediction {
  id: string;
  status: string;
  output: string | null;
  error: string | null;
}

/** An HTTP receiver of webhooks on 127.0.0.1: every body it was sent, parsed. */
async function startReceiver(): Promise<{ url: string; bodies: ReplicatePrediction[]; close: () => Promise<void> }> {
  const bodies: ReplicatePrediction[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as ReplicatePrediction);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The samples of a WAV file: its data chunk's bytes. */
function wavData(wav: Buffer): Buffer {
  for (let at = 12; at + 8 <= wav.length; at += 8 + wav.readUInt32LE(at + 4) + (wav.readUInt32LE(at + 4) % 2)) {
    if (wav.toString('latin1', at, at + 4) === 'data') return wav.subarray(at + 8, at + 8 + wav.readUInt32LE(at + 4));
  }
  throw new Error('the WAV file has no data chunk');
}

describe.skipIf(redisSkipReason !== '')('faults of a server and its workers on a Redis queue', () => {
  let redis: TestRedis;
  let server: { sa3: Sa3Process; url: string };
  const workers: Sa3Process[] = [];
  let workerHome: string;

  const startWorker = async (): Promise<Sa3Process> => {
    const { tmp } = await isolatedDirs();
    const worker = startSa3(['worker', '--redis', redis.url, '--stall-seconds', '5'], { SA3_HOME: workerHome, TMPDIR: tmp });
    workers.push(worker);
    await worker.line(/taking jobs from /);
    return worker;
  };
  const stopWorker = async (worker: Sa3Process): Promise<void> => {
    worker.child.kill('SIGKILL');
    await worker.exited;
  };
  const running = (id: string): Sa3Process[] => workers.filter((w) => w.stdout().includes(`sa3 worker: running ${id} `));
  const succeededOn = (id: string): Sa3Process[] => workers.filter((w) => w.stdout().includes(`sa3 worker: succeeded ${id}\n`));

  const createPrediction = async (body: object): Promise<ReplicatePrediction> => {
    const response = await fetch(`${server.url}/v1/models/jimothyjohn/stable-audio-3-medium/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as ReplicatePrediction;
  };
  const ended = async (id: string): Promise<ReplicatePrediction> => {
    const events = await (await openRunEvents(server.url, id)).ended;
    expect(events.at(-1)!.type).toBe('run-done');
    return (await (await fetch(`${server.url}/v1/predictions/${id}`)).json()) as ReplicatePrediction;
  };

  beforeAll(async () => {
    redis = await startRedis();
    workerHome = await tempDir('sa3-queue-faults-worker-');
    expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: { SA3_HOME: workerHome } })).code).toBe(0);
    const { home, tmp } = await isolatedDirs();
    server = await startServe({ SA3_HOME: home, TMPDIR: tmp }, ['--redis', redis.url, '--queue', '8']);
  });

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    server?.sa3.child.kill('SIGKILL');
    await Promise.all([...workers.map((w) => w.exited), server?.sa3.exited]);
    await redis?.dispose();
  });

  it('a prediction whose worker is killed mid-job succeeds on another, and its webhook hears "completed" once, with the output of the request run alone', async () => {
    const receiver = await startReceiver();
    try {
      const [first, second] = [await startWorker(), await startWorker()];
      const input = { prompt: 'bright', duration: 60, steps: 50, seed: 4242 };
      const created = await createPrediction({ input, webhook: receiver.url, webhook_events_filter: ['completed'] });
      const stream = await openRunEvents(server.url, created.id);
      await stream.until((e) => e.type === 'node-progress' && e.phase === 'sampling');
      const [victim] = running(created.id);
      expect([first, second]).toContain(victim);
      await stopWorker(victim!);
      expect((await stream.ended).at(-1)!.type).toBe('run-done');
      const prediction = (await (await fetch(`${server.url}/v1/predictions/${created.id}`)).json()) as ReplicatePrediction;
      expect(prediction.status, String(prediction.error)).toBe('succeeded');
      const survivor = victim === first ? second : first;
      expect(succeededOn(created.id)).toEqual([survivor]);
      // Both ran it; the one killed never got to the end.
      expect(running(created.id)).toHaveLength(2);

      // The same request alone, on a fresh worker (nothing cached) with the other stopped.
      await stopWorker(survivor);
      const fresh = await startWorker();
      const alone = await ended((await createPrediction({ input })).id);
      expect(alone.status, String(alone.error)).toBe('succeeded');
      expect(running(alone.id)).toEqual([fresh]);
      const [bytes, aloneBytes] = [decodeDataUri(prediction.output!), decodeDataUri(alone.output!)];
      expect(bytes.length).toBeGreaterThan(60 * 44_100 * 2 * 2);
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
      // The same file but for the prediction's id, which names the output in the workflow the WAV embeds.
      expect(bytes.toString('latin1')).toContain(created.id);
      expect(sha256(bytes.toString('latin1').replaceAll(created.id, alone.id))).toBe(sha256(aloneBytes.toString('latin1')));
      expect(sha256(wavData(bytes))).toBe(sha256(wavData(aloneBytes)));

      // By now a second "completed" would have had the whole second prediction's time to arrive.
      expect(receiver.bodies.map((b) => [b.id, b.status])).toEqual([[created.id, 'succeeded']]);
      expect(sha256(receiver.bodies[0]!.output!)).toBe(sha256(prediction.output!));
      await stopWorker(fresh);
    } finally {
      await receiver.close();
    }
  });

  it('jobs waiting with no worker survive a Redis restart (append-only file on), and a worker started afterwards runs them all', async () => {
    for (const worker of workers) await stopWorker(worker);
    const notes = TESTPACK_NOTES.slice(0, 4);
    const ids: string[] = [];
    for (const [i, note] of notes.entries()) {
      const response = await fetch(`${server.url}/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', prefer: 'respond-async' },
        body: JSON.stringify({ input: { prompt: note.word, seed: 300 + i, duration: 2, steps: 8 } }),
      });
      expect(response.status).toBe(202);
      ids.push(readPrediction(await response.json(), `POST /predictions ${i}`).id);
    }
    const waiting = async (): Promise<number | undefined> => {
      const result = await runCli(['workers', '--redis', redis.url, '--json']);
      expect(result.code, result.stderr).toBe(0);
      const listing = JSON.parse(result.stdout) as { queues: { name: string; waiting: number }[] };
      return listing.queues.find((q) => q.name === 'sa3-pack-auto')?.waiting;
    };
    expect(await waiting()).toBe(4);

    await redis.stop();
    await redis.start();
    // What Redis read back from its append-only file, before any worker could take a job.
    expect(await waiting()).toBe(4);

    await startWorker();
    const scratch = await tempDir('sa3-queue-faults-aof-');
    for (const [i, id] of ids.entries()) {
      let body = readPrediction(await (await fetch(`${server.url}/predictions/${id}`)).json(), `GET /predictions/${id}`);
      for (let tries = 0; tries < 600 && (body.status === 'starting' || body.status === 'processing'); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        body = readPrediction(await (await fetch(`${server.url}/predictions/${id}`)).json(), `GET /predictions/${id}`);
      }
      expect(body.status, `prediction ${i}: ${String(body.error)}`).toBe('succeeded');
      const path = join(scratch, `p-${i}.wav`);
      await writeFile(path, decodeDataUri(body.output!));
      const [left] = decodeWithFfmpeg(path);
      expect(left!.length).toBe(2 * 44_100);
      expect(dominantFrequency(left!, 44_100, 0)).toBeCloseTo(notes[i]!.frequency, -0.5);
      expect(succeededOn(id)).toHaveLength(1);
    }
    expect(await waiting()).toBe(0);
  });

  it('a --redis server applies --rate-limit as the in-process one does', async () => {
    const { home, tmp } = await isolatedDirs();
    const limited = await startServe({ SA3_HOME: home, TMPDIR: tmp }, ['--redis', redis.url, '--rate-limit', '2/min']);
    try {
      // Refused bodies start nothing, but each request counts.
      const post = () =>
        fetch(`${limited.url}/v1/models/jimothyjohn/stable-audio-3-medium/predictions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
      expect([(await post()).status, (await post()).status]).toEqual([422, 422]);
      const refused = await post();
      expect(refused.status).toBe(429);
      const seconds = Number(refused.headers.get('retry-after'));
      expect(await refused.json()).toEqual({
        title: 'Request was throttled',
        detail: `this address (127.0.0.1) has made 2 requests that start work in the last minute, the most this server allows (--rate-limit 2/min); retry in ${seconds} s`,
        status: 429,
      });
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(60);
    } finally {
      limited.sa3.child.kill('SIGTERM');
      await limited.sa3.exited;
    }
  });
});
