import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChunk, parseRiff } from '@sa3/nodes';
import { runCli, tempDir } from '../helpers/cli.js';
import { freePort, redisSkipReason, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { isolatedDirs, startSa3, startServe, type Sa3Process } from '../hostile/sa3-process.js';
import { openRunEvents } from './run-event-stream.js';

if (redisSkipReason) console.warn(redisSkipReason);

const heldWorkerPath = fileURLToPath(new URL('./held-worker.mjs', import.meta.url));

interface RunState {
  id: string;
  status: string;
  outputs: { url: string; sha256: string }[];
  report?: { error?: { message: string } };
}

/** prompt -> generate (2 s) -> convert (16-bit WAV) -> save as take.wav. */
function takeWorkflow(seed: number): object {
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'preview-take',
    nodes: [
      { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'bright', model: 'auto' } },
      { id: 'generate', type: 'sa3.generate', typeVersion: 1, params: { model: 'auto', duration: 2, steps: 4, seed } },
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

/** The PCM of a WAV (the saved file also carries the workflow, so only the samples compare). */
function samplesOf(bytes: Uint8Array): Buffer {
  const data = findChunk(parseRiff(bytes)!, 'data')!;
  return Buffer.from(bytes.subarray(data.dataOffset, data.dataOffset + data.size));
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const refusal = async (response: Response): Promise<[number, string]> => [response.status, ((await response.json()) as { detail: string }).detail];

async function postRun(url: string, workflow: object): Promise<string> {
  const response = await fetch(`${url}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workflow }) });
  expect(response.status).toBe(202);
  return ((await response.json()) as RunState).id;
}

async function finished(url: string, id: string): Promise<RunState> {
  await (
    await openRunEvents(url, id)
  ).ended;
  return (await (await fetch(`${url}/api/runs/${id}`)).json()) as RunState;
}

const nodeOutput = (url: string, run: string, node: string, output: string): Promise<Response> =>
  fetch(`${url}/api/runs/${run}/nodes/${node}/outputs/${output}`);

describe.skipIf(redisSkipReason !== '')('node previews of runs done on workers', () => {
  let redis: TestRedis;
  let workerHome: string;
  let worker: Sa3Process;
  const servers: Sa3Process[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    workerHome = await tempDir('sa3-previews-worker-home-');
    expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: { SA3_HOME: workerHome } })).code).toBe(0);
    worker = startSa3(['worker', '--redis', redis.url], { SA3_HOME: workerHome, TMPDIR: (await isolatedDirs()).tmp });
    await worker.line(/taking jobs from /);
  });

  afterAll(async () => {
    for (const p of [worker, ...servers]) p?.child.kill('SIGKILL');
    await Promise.all([worker, ...servers].map((p) => p?.exited));
    await redis?.dispose();
  });

  const serve = async (env: Record<string, string>, args: string[] = []): Promise<string> => {
    const { sa3, url } = await startServe(env, ['--redis', redis.url, ...args]);
    servers.push(sa3);
    return url;
  };

  it('serves each node’s audio as the worker made it, beside the run and not in its folder, and forgets it with the run', async () => {
    const { home, tmp } = await isolatedDirs();
    const url = await serve({ SA3_HOME: home, TMPDIR: tmp });
    const id = await postRun(url, takeWorkflow(11));
    const state = await finished(url, id);
    expect(state.status, state.report?.error?.message).toBe('succeeded');
    expect(worker.stdout()).toContain(`sa3 worker: succeeded ${id}\n`);
    const saved = new Uint8Array(await (await fetch(url + state.outputs[0]!.url)).arrayBuffer());

    const generated = await nodeOutput(url, id, 'generate', 'audio');
    expect(generated.status).toBe(200);
    expect(generated.headers.get('content-type')).toBe('audio/wav');
    const preview = new Uint8Array(await generated.arrayBuffer());
    expect(Number(generated.headers.get('content-length'))).toBe(preview.length);
    // 2 s of 16-bit stereo: the samples the run saved, exactly.
    expect(samplesOf(preview).length).toBe(2 * 44_100 * 2 * 2);
    expect(samplesOf(preview).equals(samplesOf(saved))).toBe(true);
    const converted = await nodeOutput(url, id, 'convert', 'file');
    expect(converted.headers.get('content-type')).toBe('audio/wav');
    expect(samplesOf(new Uint8Array(await converted.arrayBuffer())).equals(samplesOf(saved))).toBe(true);

    expect(await refusal(await nodeOutput(url, id, 'generate', 'stems'))).toEqual([
      404,
      'the output "stems" of node "generate" has no preview on this server (it was never produced); run the workflow again',
    ]);
    expect(await refusal(await nodeOutput(url, id, 'prompt', 'conditioning'))).toEqual([
      415,
      'the output "conditioning" of node "prompt" is not audio or a file',
    ]);
    // The run's folder holds its saved file alone; the previews sit beside it.
    expect(await filesUnder(join(home, 'outputs', id))).toEqual(['take.wav']);
    const previews = join(home, 'outputs', '.sa3-previews', id);
    expect(await filesUnder(previews)).toEqual(['0', '1', 'previews.json']);

    // The history keeps the run a moment after it ended; deleting it there forgets its previews.
    for (let i = 0; i < 100 && (await fetch(`${url}/api/history/${id}`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${url}/api/history/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await stat(previews).catch(() => null)).toBeNull();
    expect(await refusal(await nodeOutput(url, id, 'generate', 'audio'))).toEqual([
      404,
      'the output "audio" of node "generate" was run on a worker and its preview is not kept on this server (previews are kept for a day); run the workflow again',
    ]);
  });

  it('says that a run that failed on a worker has no previews', async () => {
    const { home, tmp } = await isolatedDirs();
    const url = await serve({ SA3_HOME: home, TMPDIR: tmp });
    const failing = {
      format: 'sa3-workflow',
      version: 1,
      name: 'missing-take',
      nodes: [
        { id: 'load', type: 'audio.load', typeVersion: 1, params: { source: 'audio/no-such-file.wav' } },
        { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: 'take.{ext}' } },
      ],
      connections: [{ from: ['load', 'audio'], to: ['save', 'audio'] }],
    };
    const id = await postRun(url, failing);
    expect((await finished(url, id)).status).toBe('failed');
    expect(await refusal(await nodeOutput(url, id, 'load', 'audio'))).toEqual([
      404,
      'the output "audio" of node "load" was made on a worker, which hands back previews only of runs that succeeded',
    ]);
    expect(await readdir(join(home, 'outputs', '.sa3-previews')).catch(() => [])).toEqual([]);
  });

  it('hands back no previews of a prediction (its output is the file), and says so', async () => {
    const { home, tmp } = await isolatedDirs();
    const url = await serve({ SA3_HOME: home, TMPDIR: tmp });
    const created = await fetch(`${url}/v1/models/jimothyjohn/stable-audio-3-medium/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait' },
      body: JSON.stringify({ input: { prompt: 'mid', duration: 1, steps: 4, seed: 3 } }),
    });
    const prediction = (await created.json()) as { id: string; status: string };
    expect(prediction.status).toBe('succeeded');
    expect(await refusal(await nodeOutput(url, prediction.id, 'sampler', 'audio'))).toEqual([
      404,
      'the output "audio" of node "sampler" was made on a worker, which hands back no previews of predictions (their output is the file)',
    ]);
    expect(await readdir(join(home, 'outputs', '.sa3-previews')).catch(() => [])).toEqual([]);
  });

  it('says why there is no preview when the worker could not reach the server and its outputs came back through Redis', async () => {
    const { home, tmp } = await isolatedDirs();
    const url = await serve({ SA3_HOME: home, TMPDIR: tmp }, ['--public-url', `http://127.0.0.1:${await freePort()}`]);
    const id = await postRun(url, takeWorkflow(12));
    expect((await finished(url, id)).status).toBe('succeeded');
    expect(await refusal(await nodeOutput(url, id, 'generate', 'audio'))).toEqual([
      404,
      'the output "audio" of node "generate" has no preview on this server: its worker could not reach this server over HTTP, so only its output files came back (through Redis); run the workflow again',
    ]);
  });

  it('removes, when it next queues a job, the previews of runs that ended more than a day ago and what ended jobs left staged; keeps the rest', async () => {
    const { home, tmp } = await isolatedDirs();
    const root = join(home, 'outputs', '.sa3-previews');
    for (const run of ['two-days-old', 'twenty-hours-old']) {
      await mkdir(join(root, run), { recursive: true });
      await writeFile(join(root, run, 'previews.json'), JSON.stringify({ format: 'sa3-node-previews', previews: [] }));
    }
    const hoursAgo = (hours: number): Date => new Date(Date.now() - hours * 3600 * 1000);
    await utimes(join(root, 'two-days-old'), hoursAgo(48), hoursAgo(48));
    await utimes(join(root, 'twenty-hours-old'), hoursAgo(20), hoursAgo(20));
    // Outputs a worker put back for two jobs no server closed: one has ended (its record is gone from Redis), one is still followed.
    const staged = (run: string, job: string): string => join(home, 'outputs', run, `.sa3-received-${job}`);
    for (const [run, job] of [
      ['ended-run', 'run-ended'],
      ['live-run', 'run-live'],
    ]) {
      await mkdir(join(staged(run!, job!), 'outputs'), { recursive: true });
      await writeFile(join(staged(run!, job!), 'outputs', '0-0123'), 'a take');
    }
    execFileSync('redis-cli', ['-p', String(redis.port), 'SET', 'sa3:job-files:run-live', '{}', 'EX', '600']);
    const url = await serve({ SA3_HOME: home, TMPDIR: tmp });
    expect((await readdir(root)).sort()).toEqual(['twenty-hours-old', 'two-days-old']);
    const id = await postRun(url, takeWorkflow(14));
    expect((await finished(url, id)).status).toBe('succeeded');
    expect((await readdir(root)).sort()).toEqual([id, 'twenty-hours-old'].sort());
    expect(await readdir(join(home, 'outputs', 'ended-run'))).toEqual([]);
    expect(await filesUnder(join(home, 'outputs', 'live-run'))).toEqual(['.sa3-received-run-live/outputs/0-0123']);
  });

  it('a server restarted after a worker handed back a job’s outputs, before the job completed, still places them, and takes the previews', async () => {
    const { home, tmp } = await isolatedDirs();
    const env = { SA3_HOME: home, TMPDIR: tmp };
    // The sa3 worker of the tests above takes no more jobs: the held worker gets this one.
    worker.child.kill('SIGTERM');
    await worker.exited;
    const held = spawnHeldWorker(redis.url, { SA3_HOME: workerHome, TMPDIR: (await isolatedDirs()).tmp });
    try {
      await held.line('taking jobs');
      let url = await serve(env);
      const id = await postRun(url, takeWorkflow(13));
      await held.line(`holding ${url}/api/jobs/`);
      servers.at(-1)!.child.kill('SIGKILL');
      await servers.at(-1)!.exited;
      url = await serve(env, ['--port', new URL(url).port]);
      held.child.stdin!.write('go\n');
      const state = await finished(url, id);
      expect(state.status, state.report?.error?.message).toBe('succeeded');
      const saved = new Uint8Array(await (await fetch(url + state.outputs[0]!.url)).arrayBuffer());
      expect(samplesOf(saved).length).toBe(2 * 44_100 * 2 * 2);
      expect(await filesUnder(join(home, 'outputs', id))).toEqual(['take.wav']);
      const generated = await nodeOutput(url, id, 'generate', 'audio');
      expect(generated.status).toBe(200);
      expect(samplesOf(new Uint8Array(await generated.arrayBuffer())).equals(samplesOf(saved))).toBe(true);
    } finally {
      held.child.kill('SIGKILL');
      await held.exited;
    }
  });
});

interface HeldWorker {
  readonly child: ChildProcess;
  line(text: string): Promise<void>;
  readonly exited: Promise<unknown>;
}

/** test/queue/held-worker.mjs: holds each job once the server has its outputs, until a line on its stdin. */
function spawnHeldWorker(redisUrl: string, env: Record<string, string>): HeldWorker {
  const child = spawn(process.execPath, [heldWorkerPath, redisUrl], { env: { ...process.env, SA3_CACHE: 'off', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of [...waiters]) waiter();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('close', resolve));
  return {
    child,
    exited,
    line: (text) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!stdout.split('\n').some((l) => l.startsWith(text))) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
        void exited.then(() => reject(new Error(`the held worker ended before printing "${text}": ${stdout}\n${stderr}`)));
      }),
  };
}
