import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { redisSkipReason, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { isolatedDirs, startSa3, startServe, type Sa3Process } from '../hostile/sa3-process.js';
import { readPrediction } from '../server/cog-payloads.js';
import { openRunEvents } from './run-event-stream.js';

if (redisSkipReason) console.warn(redisSkipReason);

/** 60 s sampled in 50 steps: a run that keeps its worker busy while the test acts. */
const longRun = {
  format: 'sa3-workflow',
  version: 1,
  name: 'long-take',
  nodes: [
    { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'bright', model: 'auto' } },
    { id: 'generate', type: 'sa3.generate', typeVersion: 1, params: { model: 'auto', duration: 60, steps: 50, seed: 8 } },
    { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: 'take.{ext}' } },
  ],
  connections: [
    { from: ['prompt', 'conditioning'], to: ['generate', 'prompt'] },
    { from: ['generate', 'audio'], to: ['save', 'audio'] },
  ],
};

describe.skipIf(redisSkipReason !== '')('jobs prefer a worker that has their pack loaded', () => {
  let redis: TestRedis;
  let server: { sa3: Sa3Process; url: string };
  let workerHome: string;
  const workers: Sa3Process[] = [];

  const startWorker = async (): Promise<Sa3Process> => {
    const { tmp } = await isolatedDirs();
    const worker = startSa3(['worker', '--redis', redis.url], { SA3_HOME: workerHome, TMPDIR: tmp });
    await worker.line(/taking jobs from /);
    workers.push(worker);
    return worker;
  };
  const predict = async (seed: number): Promise<string> => {
    const response = await fetch(`${server.url}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'mid', seed, duration: 1, steps: 4 } }),
    });
    const prediction = readPrediction(await response.json(), `POST /predictions seed ${seed}`);
    expect(prediction.status, String(prediction.error)).toBe('succeeded');
    return prediction.id;
  };
  const ranOn = (id: string): Sa3Process[] => workers.filter((w) => w.stdout().includes(`sa3 worker: succeeded ${id}\n`));

  beforeAll(async () => {
    redis = await startRedis();
    workerHome = await tempDir('sa3-warm-worker-home-');
    expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: { SA3_HOME: workerHome } })).code).toBe(0);
    const { home, tmp } = await isolatedDirs();
    server = await startServe({ SA3_HOME: home, TMPDIR: tmp }, ['--redis', redis.url, '--queue', '4']);
  });

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    server?.sa3.child.kill('SIGKILL');
    await Promise.all([...workers.map((w) => w.exited), server?.sa3.exited]);
    await redis?.dispose();
  });

  it('runs after the first go to the worker that loaded the pack while it is idle, and to a cold one while it is busy', async () => {
    const warm = await startWorker();
    expect(ranOn(await predict(1))).toEqual([warm]);
    const cold = await startWorker();
    // One after another: each finds the warm worker idle. Left to chance, four would all land on it one time in 16.
    for (const seed of [2, 3, 4, 5]) expect(ranOn(await predict(seed))).toEqual([warm]);
    expect(cold.stdout()).not.toContain('sa3 worker: running ');
    const listed = await runCli(['workers', '--redis', redis.url, '--json']);
    const loaded = (JSON.parse(listed.stdout) as { workers: { pid: number; loaded: string[] }[] }).workers.map((w) => [w.pid, w.loaded]);
    expect(loaded.sort()).toEqual(
      [
        [warm.pid, ['auto']],
        [cold.pid, []],
      ].sort(),
    );

    // The warm worker busy: the cold one runs the job rather than leave it waiting.
    const response = await fetch(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: longRun }),
    });
    const long = ((await response.json()) as { id: string }).id;
    const stream = await openRunEvents(server.url, long);
    await stream.until((e) => e.type === 'node-progress' && e.node === 'generate');
    expect(warm.stdout()).toContain(`sa3 worker: running ${long} `);
    expect(ranOn(await predict(6))).toEqual([cold]);
    expect((await stream.ended).at(-1)!.type).toBe('run-done');
  });
});
