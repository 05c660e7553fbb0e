import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChunk, parseRiff, type RunEvent } from '@sa3/nodes';
import { runCli, tempDir } from '../helpers/cli.js';
import { redisSkipReason, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { isolatedDirs, startServe, type Sa3Process } from '../hostile/sa3-process.js';
import { decodeDataUri } from '../server/server-fixture.js';
import { sseEvents } from '../server/read-sse.js';

if (redisSkipReason) console.warn(redisSkipReason);

const pacedWorkerPath = fileURLToPath(new URL('./paced-worker.mjs', import.meta.url));

const STEPS = 30;
const STEP_MS = 150;
/** The webhook events asked for: a duplicate start or completed is then countable (output would repeat the final status). */
const HOOK_EVENTS = ['start', 'completed'];

/** A take of STEPS steps, which the paced workers make last STEPS * STEP_MS. */
function takeWorkflow(seed: number): object {
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'restart-take',
    nodes: [
      { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'bright', model: 'auto' } },
      { id: 'generate', type: 'sa3.generate', typeVersion: 1, params: { model: 'auto', duration: 8, steps: STEPS, seed } },
      { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: 'wav' } },
      { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: 'take.{ext}' } },
    ],
    connections: [
      { from: ['prompt', 'conditioning'], to: ['generate', 'prompt'] },
      { from: ['generate', 'audio'], to: ['convert', 'audio'] },
      { from: ['convert', 'file'], to: ['save', 'file'] },
    ],
  };
}

const predictionInput = (seed: number): object => ({ prompt: 'low', seed, duration: 8, steps: STEPS });

/** The PCM of a WAV data URI (the file around it names its prediction, so only the samples compare). */
function samplesOf(uri: string): Buffer {
  const bytes = decodeDataUri(uri);
  const data = findChunk(parseRiff(bytes)!, 'data')!;
  return bytes.subarray(data.dataOffset, data.dataOffset + data.size);
}

interface SeenEvent {
  readonly id: string;
  readonly event: RunEvent;
}

/** A run's events over SSE from one connection: what arrived until the stream ended or the server went away. */
interface EventConnection {
  readonly seen: SeenEvent[];
  until(match: (event: RunEvent) => boolean): Promise<void>;
  readonly closed: Promise<void>;
}

async function connectEvents(url: string, runId: string, lastEventId?: string): Promise<EventConnection> {
  const response = await fetch(`${url}/api/runs/${runId}/events`, { headers: lastEventId ? { 'last-event-id': lastEventId } : {} });
  expect(response.status).toBe(200);
  const seen: SeenEvent[] = [];
  const waiters: { match: (event: RunEvent) => boolean; resolve: () => void }[] = [];
  const closed = (async () => {
    try {
      for await (const raw of sseEvents(response)) {
        const event = JSON.parse(raw.data) as RunEvent;
        seen.push({ id: raw.id, event });
        for (const waiter of waiters.filter((w) => w.match(event))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    } catch {
      // the server was killed under the stream
    }
  })();
  return {
    seen,
    closed,
    until: (match) =>
      new Promise((resolve, reject) => {
        if (seen.some((s) => match(s.event))) return resolve();
        waiters.push({ match, resolve });
        void closed.then(() => reject(new Error(`the stream of ${runId} closed before the awaited event: ${seen.map((s) => s.event.type).join(', ')}`)));
      }),
  };
}

const isSamplingStep = (event: RunEvent): boolean => event.type === 'node-progress' && event.node === 'generate' && event.phase === 'sampling';

interface PacedWorker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<unknown>;
  readonly stdout: () => string;
}

/** test/queue/paced-worker.mjs: the runtime's queue worker over the test pack, each sampling step held STEP_MS. */
function startPacedWorker(redisUrl: string, env: Record<string, string>): PacedWorker {
  const child = spawn(process.execPath, [pacedWorkerPath, redisUrl, String(STEP_MS)], {
    env: { ...process.env, SA3_CACHE: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('close', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('taking jobs\n')) resolve();
    });
    void exited.then(() => reject(new Error(`the paced worker ended before taking jobs: ${stderr}`)));
  });
  return { child, ready, exited, stdout: () => stdout };
}

interface Hook {
  readonly path: string;
  readonly body: { id: string; status: string };
  readonly text: string;
  readonly headers: IncomingMessage['headers'];
}

/** Whether a webhook carries Replicate's signature under `key` (whsec_<base64>): HMAC-SHA256 of "id.timestamp.body". */
function signedWith(hook: Hook, key: string): boolean {
  const signed = `${String(hook.headers['webhook-id'])}.${String(hook.headers['webhook-timestamp'])}.${hook.text}`;
  const expected = createHmac('sha256', Buffer.from(key.split('_').pop()!, 'base64'))
    .update(signed)
    .digest('base64');
  return hook.headers['webhook-signature'] === `v1,${expected}`;
}

describe.skipIf(redisSkipReason !== '')('a server restarted while its runs go on on workers', () => {
  let redis: TestRedis;
  let workerHome: string;
  const workers: PacedWorker[] = [];
  const servers: Sa3Process[] = [];
  let receiver: Server;
  let hookUrl: string;
  const hooks: Hook[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    workerHome = await tempDir('sa3-restart-worker-home-');
    expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: { SA3_HOME: workerHome } })).code).toBe(0);
    // One job per worker, each sampling step held STEP_MS: all 5 are part-way through their steps when the server goes.
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        const { tmp } = await isolatedDirs();
        const worker = startPacedWorker(redis.url, { SA3_HOME: workerHome, TMPDIR: tmp });
        workers.push(worker);
        await worker.ready;
      }),
    );
    receiver = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        hooks.push({ path: req.url ?? '', body: JSON.parse(text) as Hook['body'], text, headers: req.headers });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    for (const p of [...workers, ...servers]) p.child.kill('SIGKILL');
    await Promise.all([...workers, ...servers].map((p) => p.exited));
    receiver?.close();
    await redis?.dispose();
  });

  /** sa3 serve --redis; started again, on the address it had (as a supervisor restarts it), where workers hand back outputs. */
  const serve = async (env: Record<string, string>, port = 0): Promise<string> => {
    const { sa3, url } = await startServe(env, ['--redis', redis.url, '--queue', '20', '--port', String(port)]);
    servers.push(sa3);
    return url;
  };
  const json = async (url: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
    const { json: payload, ...rest } = init;
    const response = await fetch(url, {
      ...rest,
      ...(payload !== undefined
        ? { method: rest.method ?? 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...rest.headers } }
        : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** GETs `path` until its status is final. */
  const settled = async (url: string, path: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const { status, body } = await json(url + path);
      expect(status, `GET ${path}: ${JSON.stringify(body)}`).toBe(200);
      if (['succeeded', 'failed', 'canceled', 'cancelled', 'interrupted'].includes(String(body.status))) return body;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`${signal} to the server while 5 jobs run: after its restart all 5 succeed, readable where they were asked, SSE resumes without gap or repeat, one webhook completed each`, async () => {
      const { home, tmp } = await isolatedDirs();
      const env = { SA3_HOME: home, TMPDIR: tmp };
      let url = await serve(env);
      const base = signal === 'SIGKILL' ? 100 : 200;
      const tag = signal.toLowerCase();

      const runIds: string[] = [];
      for (const seed of [base + 1, base + 2]) {
        const made = await json(`${url}/api/runs`, { json: { workflow: takeWorkflow(seed) } });
        expect(made.status).toBe(202);
        runIds.push(String(made.body.id));
      }
      const replicateIds: string[] = [];
      for (const seed of [base + 3, base + 4]) {
        const made = await json(`${url}/v1/predictions`, {
          json: {
            version: 'jimothyjohn/stable-audio-3-medium',
            input: predictionInput(seed),
            webhook: `${hookUrl}/replicate`,
            webhook_events_filter: HOOK_EVENTS,
          },
        });
        expect(made.status, JSON.stringify(made.body)).toBe(201);
        replicateIds.push(String(made.body.id));
      }
      const cogId = `cog-${tag}`;
      const cog = await json(`${url}/predictions`, {
        headers: { prefer: 'respond-async' },
        json: { id: cogId, input: predictionInput(base + 5), webhook: `${hookUrl}/cog`, webhook_events_filter: HOOK_EVENTS },
      });
      expect(cog.status, JSON.stringify(cog.body)).toBe(202);

      // Every one of the 5 is sampling on a worker when the server goes.
      const streams = await Promise.all(runIds.map((id) => connectEvents(url, id)));
      await Promise.all(streams.map((s) => s.until(isSamplingStep)));
      for (const path of [...replicateIds.map((id) => `/v1/predictions/${id}`), `/predictions/${cogId}`]) {
        for (;;) {
          const { body } = await json(url + path);
          if (/step \d+\//.test(String(body.logs))) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      const webhookKey = String((await json(`${url}/v1/webhooks/default/secret`)).body.key);
      const server = servers.at(-1)!;
      server.child.kill(signal);
      const exit = await server.exited;
      expect(exit.signal ?? exit.code).toBe(signal === 'SIGKILL' ? 'SIGKILL' : 0);
      await Promise.all(streams.map((s) => s.closed));
      for (const s of streams) expect(s.seen.at(-1)!.event.type).not.toBe('run-done');

      url = await serve(env, Number(new URL(url).port));
      const restartedAt = Date.now();
      const followed = /following again the queued runs .* left: (.+)/.exec(servers.at(-1)!.stderr())?.[1]?.split(', ');
      expect(followed?.sort()).toEqual([...runIds, ...replicateIds, cogId].sort());
      let madeWhileDown = 0;
      // Each stream resumes from the last id it saw: together the two parts count 1, 2, 3, ... with every step once.
      for (const [i, id] of runIds.entries()) {
        const before = streams[i]!.seen;
        const after = await connectEvents(url, id, before.at(-1)!.id);
        await after.closed;
        const all = [...before, ...after.seen];
        madeWhileDown += after.seen.filter((s) => Date.parse(s.event.time) < restartedAt).length;
        expect(all.map((s) => s.id)).toEqual(all.map((_, n) => String(n + 1)));
        expect(all.map((s) => s.event.seq)).toEqual(all.map((_, n) => n + 1));
        expect(all.at(-1)!.event.type).toBe('run-done');
        const steps = all.flatMap((s) => (isSamplingStep(s.event) ? [(s.event as { step: number }).step] : []));
        expect(steps).toEqual(Array.from({ length: STEPS }, (_, n) => n + 1));
        expect(all.filter((s) => s.event.type === 'run-start')).toHaveLength(1);
      }

      // Events the workers made between the first server's end and the second's start reached the clients all the same.
      expect(madeWhileDown).toBeGreaterThan(0);

      const runs = await Promise.all(runIds.map((id) => settled(url, `/api/runs/${id}`)));
      const replicate = await Promise.all(replicateIds.map((id) => settled(url, `/v1/predictions/${id}`)));
      const cogDone = await settled(url, `/predictions/${cogId}`);
      for (const p of [...runs, ...replicate, cogDone]) expect(p.status, JSON.stringify(p.error ?? (p.report as { error?: unknown })?.error)).toBe('succeeded');
      // The server's restart cost no job a second attempt: each ran once, on one worker.
      for (const id of [...runIds, ...replicateIds, cogId]) {
        const attempts = workers.flatMap((w) => w.stdout().match(new RegExp(`^running ${id} \\(attempt \\d+\\)$`, 'gm')) ?? []);
        expect(attempts).toEqual([`running ${id} (attempt 1)`]);
      }
      const runBytes = await Promise.all(runs.map(async (r) => Buffer.from(await (await fetch(url + (r.outputs as { url: string }[])[0]!.url)).arrayBuffer())));

      // The same requests on the restarted server, undisturbed: the same bytes (the same samples, for predictions, whose files name them).
      const again = await Promise.all(
        [base + 1, base + 2].map(async (seed) => {
          const made = await json(`${url}/api/runs`, { json: { workflow: takeWorkflow(seed) } });
          const state = await settled(url, `/api/runs/${String(made.body.id)}`);
          return Buffer.from(await (await fetch(url + (state.outputs as { url: string }[])[0]!.url)).arrayBuffer());
        }),
      );
      const predictedAgain = await Promise.all(
        [base + 3, base + 4, base + 5].map(async (seed) => {
          const made = await json(`${url}/predictions`, { json: { input: predictionInput(seed) } });
          expect(made.body.status).toBe('succeeded');
          return samplesOf(String(made.body.output));
        }),
      );
      for (const [i, bytes] of runBytes.entries()) {
        expect(bytes.length).toBeGreaterThan(8 * 44_100 * 2 * 2);
        expect(bytes.equals(again[i]!)).toBe(true);
      }
      for (const [i, p] of [...replicate, cogDone].entries()) expect(samplesOf(String(p.output)).equals(predictedAgain[i]!)).toBe(true);

      // Each prediction's webhook heard start (from the first server) and completed (from the second) once each.
      const predictionIds = [...replicateIds, cogId];
      for (let i = 0; i < 100 && !predictionIds.every((id) => hooks.some((h) => h.body.id === id && h.body.status === 'succeeded')); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      for (const id of predictionIds) {
        const heard = hooks.filter((h) => h.body.id === id);
        expect(heard.map((h) => h.body.status)).toEqual(['processing', 'succeeded']);
        expect(heard.map((h) => h.path)).toEqual(id === cogId ? ['/cog', '/cog'] : ['/replicate', '/replicate']);
      }
      // The /v1 webhook key outlives the restart: both servers' deliveries verify with the key the client read before it.
      expect((await json(`${url}/v1/webhooks/default/secret`)).body.key).toBe(webhookKey);
      for (const hook of hooks.filter((h) => h.path === '/replicate' && replicateIds.includes(h.body.id))) expect(signedWith(hook, webhookKey)).toBe(true);
    });
  }
  it('a server killed whose jobs all end while it is down: started again, it gives them their outcome, outputs and one completed webhook each', async () => {
    const { home, tmp } = await isolatedDirs();
    const env = { SA3_HOME: home, TMPDIR: tmp };
    let url = await serve(env);
    const made = await json(`${url}/api/runs`, { json: { workflow: takeWorkflow(301) } });
    const runId = String(made.body.id);
    const replicate = await json(`${url}/v1/predictions`, {
      json: {
        version: 'jimothyjohn/stable-audio-3-medium',
        input: predictionInput(302),
        webhook: `${hookUrl}/replicate`,
        webhook_events_filter: ['completed'],
      },
    });
    const replicateId = String(replicate.body.id);
    const cogId = 'cog-ended-while-down';
    const cog = await json(`${url}/predictions`, {
      headers: { prefer: 'respond-async' },
      json: { id: cogId, input: predictionInput(303), webhook: `${hookUrl}/cog`, webhook_events_filter: ['completed'] },
    });
    expect([made.status, replicate.status, cog.status]).toEqual([202, 201, 202]);
    const stream = await connectEvents(url, runId);
    await stream.until(isSamplingStep);
    const server = servers.at(-1)!;
    server.child.kill('SIGKILL');
    await server.exited;
    await stream.closed;
    // All three end on their workers while no server listens.
    const ended = (): number => [runId, replicateId, cogId].filter((id) => workers.some((w) => w.stdout().includes(`succeeded ${id}\n`))).length;
    while (ended() < 3) await new Promise((resolve) => setTimeout(resolve, 100));

    url = await serve(env, Number(new URL(url).port));
    const after = await connectEvents(url, runId, stream.seen.at(-1)!.id);
    await after.closed;
    const all = [...stream.seen, ...after.seen];
    expect(all.map((s) => s.event.seq)).toEqual(all.map((_, n) => n + 1));
    expect(all.filter(({ event }) => isSamplingStep(event)).map(({ event }) => (event as { step: number }).step)).toEqual(
      Array.from({ length: STEPS }, (_, n) => n + 1),
    );
    expect(all.at(-1)!.event.type).toBe('run-done');
    const run = await settled(url, `/api/runs/${runId}`);
    expect(run.status).toBe('succeeded');
    const bytes = Buffer.from(await (await fetch(url + (run.outputs as { url: string }[])[0]!.url)).arrayBuffer());
    expect(bytes.length).toBeGreaterThan(8 * 44_100 * 2 * 2);
    const predictions = [await settled(url, `/v1/predictions/${replicateId}`), await settled(url, `/predictions/${cogId}`)];
    for (const [i, p] of predictions.entries()) {
      expect(p.status).toBe('succeeded');
      const again = await json(`${url}/predictions`, { json: { input: predictionInput(302 + i) } });
      expect(samplesOf(String(p.output)).equals(samplesOf(String(again.body.output)))).toBe(true);
    }
    for (let i = 0; i < 100 && hooks.filter((h) => [replicateId, cogId].includes(h.body.id)).length < 2; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hooks.filter((h) => h.body.id === replicateId).map((h) => h.body.status)).toEqual(['succeeded']);
    expect(hooks.filter((h) => h.body.id === cogId).map((h) => h.body.status)).toEqual(['succeeded']);

    // Killed once more after they ended: the next start still answers all three as they ended, and tells no webhook again.
    const hooksBefore = hooks.length;
    servers.at(-1)!.child.kill('SIGKILL');
    await servers.at(-1)!.exited;
    url = await serve(env, Number(new URL(url).port));
    const replayed = await connectEvents(url, runId);
    await replayed.closed;
    expect(replayed.seen.map((s) => [s.id, s.event.type])).toEqual(all.map((s) => [s.id, s.event.type]));
    const kept = await settled(url, `/api/runs/${runId}`);
    expect(kept.status).toBe('succeeded');
    expect(Buffer.from(await (await fetch(url + (kept.outputs as { url: string }[])[0]!.url)).arrayBuffer()).equals(bytes)).toBe(true);
    expect((await json(`${url}/v1/predictions/${replicateId}`)).body).toMatchObject({ status: 'succeeded', output: predictions[0]!.output });
    expect((await json(`${url}/predictions/${cogId}`)).body).toMatchObject({ status: 'succeeded', output: predictions[1]!.output });
    expect(hooks.length).toBe(hooksBefore);
  });
});
