import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { redisSkipReason, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { isolatedDirs, startSa3, startServe, type Sa3Process } from '../hostile/sa3-process.js';

if (redisSkipReason) console.warn(redisSkipReason);

const workflow = {
  format: 'sa3-workflow',
  version: 1,
  name: 'quick-take',
  nodes: [
    { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'bright', model: 'auto' } },
    { id: 'generate', type: 'sa3.generate', typeVersion: 1, params: { model: 'auto', duration: 1, steps: 4, seed: 5 } },
    { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: 'take.{ext}' } },
  ],
  connections: [
    { from: ['prompt', 'conditioning'], to: ['generate', 'prompt'] },
    { from: ['generate', 'audio'], to: ['save', 'audio'] },
  ],
};

describe.skipIf(redisSkipReason !== '')('priorities on the Redis queue', () => {
  let redis: TestRedis;
  let server: { sa3: Sa3Process; url: string };
  let worker: Sa3Process | undefined;

  beforeAll(async () => {
    redis = await startRedis();
    const { home, tmp } = await isolatedDirs();
    server = await startServe({ SA3_HOME: home, TMPDIR: tmp }, ['--redis', redis.url, '--queue', '10']);
  });

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    server?.sa3.child.kill('SIGKILL');
    await Promise.all([worker?.exited, server?.sa3.exited]);
    await redis?.dispose();
  });

  const post = async (path: string, body: object): Promise<string> => {
    const response = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBeLessThan(300);
    return ((await response.json()) as { id: string }).id;
  };

  it('jobs no worker has taken say queued (starting); a worker that starts then takes the workflow run first, the predictions in their order, the batch run last', async () => {
    const predictions = [
      await post('/v1/models/jimothyjohn/stable-audio-3-medium/predictions', { input: { prompt: 'low', duration: 1, steps: 4, seed: 1 } }),
      await post('/v1/models/jimothyjohn/stable-audio-3-medium/predictions', { input: { prompt: 'mid', duration: 1, steps: 4, seed: 2 } }),
    ];
    const run = await post('/api/runs', { workflow });
    const batchRun = await post('/api/runs', { workflow, priority: 'batch' });

    // Nothing has taken them yet: the runs say queued, the predictions starting, with no start time.
    await expect.poll(async () => ((await (await fetch(`${server.url}/api/runs/${run}`)).json()) as { status: string }).status).toBe('queued');
    expect(await (await fetch(`${server.url}/api/runs/${batchRun}`)).json()).toMatchObject({ status: 'queued', startedAt: null });
    for (const id of predictions)
      expect(await (await fetch(`${server.url}/v1/predictions/${id}`)).json()).toMatchObject({ status: 'starting', started_at: null });

    // The editor's model list is what the workers have: nothing yet, then the worker's pack, as "auto" too.
    const models = async (): Promise<unknown> => (await fetch(`${server.url}/api/models`)).json();
    expect(await models()).toEqual([]);
    const workerHome = await tempDir('sa3-queue-priority-worker-');
    expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: { SA3_HOME: workerHome } })).code).toBe(0);
    const listed = JSON.parse((await runCli(['models', 'list', '--json'], { env: { SA3_HOME: workerHome } })).stdout) as {
      installed: { id: string; title: string; objective: string; maxSeconds: number }[];
    };
    const { tmp } = await isolatedDirs();
    worker = startSa3(['worker', '--redis', redis.url], { SA3_HOME: workerHome, TMPDIR: tmp });
    await expect
      .poll(models)
      .toEqual(listed.installed.map(({ id, title, objective, maxSeconds }) => ({ id, title, objective, maxSeconds, auto: id === 'small-music' })));
    await expect.poll(() => worker!.stdout().match(/sa3 worker: succeeded /g)?.length ?? 0, { timeout: 120_000 }).toBe(4);
    const order = [...worker.stdout().matchAll(/sa3 worker: running (\S+)/g)].map((m) => m[1]);
    expect(order).toEqual([run, ...predictions, batchRun]);
    for (const id of [run, batchRun]) {
      // The worker says succeeded before the server has taken the job's outcome.
      const state = async (): Promise<{ status: string; startedAt?: string }> => (await (await fetch(`${server.url}/api/runs/${id}`)).json()) as never;
      await expect.poll(async () => (await state()).status).toBe('succeeded');
      expect(typeof (await state()).startedAt).toBe('string');
    }
  });
});
