import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TESTPACK_NOTES } from '@sa3/runtime/testpack';
import { decodeWithFfmpeg, dominantFrequency } from '../helpers/audio-probe.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { redisSkipReason, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { isolatedDirs, startSa3, startServe, type Sa3Process } from '../hostile/sa3-process.js';
import { outputOf, readHealthCheck, readPrediction } from '../server/cog-payloads.js';
import { decodeDataUri } from '../server/server-fixture.js';
import { openRunEvents } from './run-event-stream.js';

if (redisSkipReason) console.warn(redisSkipReason);

/** A workflow that samples long enough (50 steps over 60 s) for a test to act while it runs. */
function longWorkflow(seed: number): object {
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'long-take',
    nodes: [
      { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'bright', model: 'auto' } },
      { id: 'generate', type: 'sa3.generate', typeVersion: 1, params: { model: 'auto', duration: 60, steps: 50, seed } },
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

interface RunState {
  id: string;
  status: string;
  outputs: { url: string; sha256: string }[];
  report?: { seeds: Record<string, Record<string, number>> };
}

describe.skipIf(redisSkipReason !== '')('one server and three workers on a Redis queue', () => {
  let redis: TestRedis;
  let server: { sa3: Sa3Process; url: string };
  const workers: Sa3Process[] = [];
  let workerHome: string;

  const startWorker = async (): Promise<Sa3Process> => {
    const { tmp } = await isolatedDirs();
    const worker = startSa3(['worker', '--redis', redis.url, '--stall-seconds', '10'], { SA3_HOME: workerHome, TMPDIR: tmp });
    await worker.line(/taking jobs from /);
    workers.push(worker);
    return worker;
  };
  const workerRan = (runId: string, verb: string): Sa3Process[] => workers.filter((w) => w.stdout().includes(`sa3 worker: ${verb} ${runId}`));

  const postRun = async (workflow: object): Promise<string> => {
    const response = await fetch(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflow }),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as RunState).id;
  };
  const runState = async (id: string): Promise<RunState> => (await (await fetch(`${server.url}/api/runs/${id}`)).json()) as RunState;
  const outputBytes = async (state: RunState): Promise<Buffer> => Buffer.from(await (await fetch(server.url + state.outputs[0]!.url)).arrayBuffer());

  beforeAll(async () => {
    redis = await startRedis();
    workerHome = await tempDir('sa3-queue-worker-home-');
    expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: { SA3_HOME: workerHome } })).code).toBe(0);
    // The server has no pack of its own: every run can only happen on a worker.
    const { home, tmp } = await isolatedDirs();
    server = await startServe({ SA3_HOME: home, TMPDIR: tmp }, ['--redis', redis.url, '--queue', '40']);
    await Promise.all([startWorker(), startWorker(), startWorker()]);
  });

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    server?.sa3.child.kill('SIGKILL');
    await Promise.all([...workers.map((w) => w.exited), server?.sa3.exited]);
    await redis?.dispose();
  });

  it('runs 30 predictions submitted at once, each exactly once with its own tone and seed, spread over the workers', async () => {
    const notes = TESTPACK_NOTES.slice(0, 6);
    const results = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const response = await fetch(`${server.url}/predictions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input: { prompt: notes[i % 6]!.word, seed: 100 + i, duration: 2, steps: 8 } }),
        });
        return { i, status: response.status, body: (await response.json()) as unknown };
      }),
    );
    const scratch = await tempDir('sa3-queue-outputs-');
    for (const r of results) {
      expect(r.status).toBe(200);
      const prediction = readPrediction(r.body, `POST /predictions ${r.i}`);
      expect(prediction.status, `prediction ${r.i}: ${String(prediction.error)}`).toBe('succeeded');
      expect(prediction.input.seed).toBe(100 + r.i);
      const path = join(scratch, `p-${r.i}.wav`);
      await writeFile(path, decodeDataUri(outputOf(prediction)));
      const [left] = decodeWithFfmpeg(path);
      expect(left!.length).toBe(2 * 44_100);
      expect(dominantFrequency(left!, 44_100, 0)).toBeCloseTo(notes[r.i % 6]!.frequency, -0.5);
    }
    const succeeded = workers.map((w) => w.stdout().match(/sa3 worker: succeeded /g)?.length ?? 0);
    expect(succeeded.reduce((a, b) => a + b, 0)).toBe(30);
    expect(workers.map((w) => w.stdout().match(/\(attempt [2-9]\)/g) ?? [])).toEqual([[], [], []]);
    for (const count of succeeded) expect(count).toBeGreaterThanOrEqual(5);
    console.log(`jobs per worker: ${succeeded.join(', ')}`);

    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toContain('sa3_redis_up 1\n');
    expect(text).toContain('sa3_jobs_ended_total{queue="sa3-pack-auto",status="succeeded"} 30\n');
    expect(text).toContain('sa3_job_duration_seconds_count{queue="sa3-pack-auto"} 30\n');
    expect(text).toContain('sa3_queue_jobs{queue="sa3-pack-auto",state="waiting"} 0\n');
    expect(text).toContain('sa3_queue_jobs{queue="sa3-pack-auto",state="completed"} 30\n');
  });

  it('cancels a workflow run on a worker between steps: it ends cancelled with no output', async () => {
    const id = await postRun(longWorkflow(7));
    const stream = await openRunEvents(server.url, id);
    await stream.until((e) => e.type === 'node-progress' && e.node === 'generate');
    expect((await fetch(`${server.url}/api/runs/${id}/cancel`, { method: 'POST' })).status).toBe(200);
    const events = await stream.ended;
    expect(events.at(-1)!.type).toBe('run-cancelled');
    const state = await runState(id);
    expect(state).toMatchObject({ status: 'cancelled', outputs: [] });
    expect(workerRan(id, 'cancelled')).toHaveLength(1);
  });

  it('re-runs the job of a worker killed mid-job on another, once, with the bytes of an undisturbed run', async () => {
    const id = await postRun(longWorkflow(-1));
    const stream = await openRunEvents(server.url, id);
    await stream.until((e) => e.type === 'node-progress' && e.node === 'generate');
    const [running] = workerRan(id, 'running');
    running!.child.kill('SIGKILL');
    await running!.exited;
    const events = await stream.ended;
    expect(events.at(-1)!.type).toBe('run-done');
    // The re-run repeats what the server already told: no step is heard twice.
    const steps = events.flatMap((e) => (e.type === 'node-progress' && e.node === 'generate' && e.phase === 'sampling' ? [e.step] : []));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
    const state = await runState(id);
    expect(state.status).toBe('succeeded');
    expect(workerRan(id, 'succeeded')).toHaveLength(1);
    expect(workerRan(id, 'succeeded')[0]).not.toBe(running);

    const seed = state.report!.seeds.generate!.seed!;
    const again = await postRun(longWorkflow(seed));
    expect((await (await openRunEvents(server.url, again)).ended).at(-1)!.type).toBe('run-done');
    const [first, second] = [await outputBytes(state), await outputBytes(await runState(again))];
    expect(first.length).toBeGreaterThan(60 * 44_100 * 2 * 2);
    expect(createHash('sha256').update(first).digest('hex')).toBe(createHash('sha256').update(second).digest('hex'));
  });

  it('keeps a job for a pack no worker has waiting, visible in sa3 workers, until a worker with that pack starts', async () => {
    const workflow = longWorkflow(11) as { nodes: { id: string; params: Record<string, unknown> }[] };
    for (const node of workflow.nodes) if ('model' in node.params) node.params.model = 'small-sfx';
    const generate = workflow.nodes.find((n) => n.id === 'generate')!;
    Object.assign(generate.params, { duration: 2, steps: 8 });
    const id = await postRun(workflow);
    const listing = async (): Promise<{ workers: { packs: string[] }[]; queues: { name: string; waiting: number; completed: number }[] }> => {
      const result = await runCli(['workers', '--redis', redis.url, '--json']);
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as never;
    };
    let sfx = (await listing()).queues.find((q) => q.name === 'sa3-pack-small-sfx');
    for (let i = 0; i < 50 && sfx?.waiting !== 1; i++) sfx = (await listing()).queues.find((q) => q.name === 'sa3-pack-small-sfx');
    expect(sfx).toMatchObject({ waiting: 1, completed: 0 });
    expect((await runState(id)).status).toBe('queued');

    const home = await tempDir('sa3-queue-sfx-home-');
    expect((await runCli(['models', 'testpack', '--id', 'small-sfx'], { env: { SA3_HOME: home } })).code).toBe(0);
    const { tmp } = await isolatedDirs();
    const late = startSa3(['worker', '--redis', redis.url], { SA3_HOME: home, TMPDIR: tmp });
    workers.push(late);
    expect(await late.line(/taking jobs from /)).toContain('sa3-pack-small-sfx');
    expect((await (await openRunEvents(server.url, id)).ended).at(-1)!.type).toBe('run-done');
    expect(workerRan(id, 'succeeded')).toEqual([late]);
    const after = await listing();
    expect(after.queues.find((q) => q.name === 'sa3-pack-small-sfx')).toMatchObject({ waiting: 0, completed: 1 });
    expect(after.workers.filter((w) => w.packs.includes('small-sfx'))).toHaveLength(1);
    expect(after.workers.filter((w) => w.packs.includes('small-music')).length).toBeGreaterThanOrEqual(2);
  });

  it('with Redis stopped, health says why and a new prediction gets 503 at once; started again, work resumes', async () => {
    await redis.stop();
    const health = async () => readHealthCheck(await (await fetch(`${server.url}/health-check`)).json(), 'GET /health-check');
    for (let i = 0; i < 100 && (await health()).status !== 'SETUP_FAILED'; i++) await new Promise((r) => setTimeout(r, 100));
    const down = await health();
    expect(down.status).toBe('SETUP_FAILED');
    expect(down.setup.status).toBe('failed');
    const why = new RegExp(`^Redis at ${redis.url} cannot be reached \\(.+\\); predictions and runs are refused until it answers again$`);
    expect(down.setup.logs).toMatch(why);
    const refused = await fetch(`${server.url}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'low', seed: 1, duration: 1, steps: 4 } }),
      // A hang is the failure this guards against: 2 s is the bound the server promises.
      signal: AbortSignal.timeout(2000),
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(why);
    expect((await fetch(`${server.url}/`)).status).toBe(200);

    await redis.start();
    for (let i = 0; i < 100 && (await health()).status !== 'READY'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await health()).status).toBe('READY');
    const response = await fetch(`${server.url}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'low', seed: 1, duration: 1, steps: 4 } }),
    });
    expect(response.status).toBe(200);
    expect(readPrediction(await response.json(), 'POST /predictions after Redis came back').status).toBe('succeeded');
  });
});
