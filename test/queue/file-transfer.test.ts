import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWithFfmpeg, dominantFrequency, probe } from '../helpers/audio-probe.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { freePort, redisSkipReason, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { isolatedDirs, startSa3, startServe, type Sa3Process } from '../hostile/sa3-process.js';
import { readPrediction } from '../server/cog-payloads.js';
import { decodeDataUri } from '../server/server-fixture.js';
import { openRunEvents } from './run-event-stream.js';

if (redisSkipReason) console.warn(redisSkipReason);

interface RunState {
  id: string;
  status: string;
  outputs: { url: string; sha256: string; bytes: number }[];
  report?: { error?: { message: string } };
}

const TOKEN_HEADER = 'x-sa3-job-token';
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The files (not folders) under `dir`, relative to it, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** audio.load of `source` saved as <name>.wav. */
function loadAndSave(source: string, name: string): object {
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'uploaded-take',
    nodes: [
      { id: 'load', type: 'audio.load', typeVersion: 1, params: { source } },
      { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: 'wav' } },
      { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: `${name}.{ext}` } },
    ],
    connections: [
      { from: ['load', 'audio'], to: ['convert', 'audio'] },
      { from: ['convert', 'file'], to: ['save', 'file'] },
    ],
  };
}

/** Reads `source` and, beside it, samples 60 s in 50 steps: long enough for a test to act while the job runs. */
function slowWorkflowReading(source: string, seed: number): object {
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'slow-take',
    nodes: [
      { id: 'load', type: 'audio.load', typeVersion: 1, params: { source } },
      { id: 'save-take', type: 'audio.save', typeVersion: 1, params: { filename: 'take.{ext}' } },
      { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'bright', model: 'auto' } },
      { id: 'generate', type: 'sa3.generate', typeVersion: 1, params: { model: 'auto', duration: 60, steps: 50, seed } },
      { id: 'save-long', type: 'audio.save', typeVersion: 1, params: { filename: 'long.{ext}' } },
    ],
    connections: [
      { from: ['load', 'audio'], to: ['save-take', 'audio'] },
      { from: ['prompt', 'conditioning'], to: ['generate', 'prompt'] },
      { from: ['generate', 'audio'], to: ['save-long', 'audio'] },
    ],
  };
}

/** Two 120 s takes saved as 32-bit float WAVs: `outputs` of them, 42 MB each. */
function bigOutputWorkflow(outputs: 'one-of-240-s' | 'two-of-120-s'): object {
  const generate = (id: string, seed: number): object => ({
    id,
    type: 'sa3.generate',
    typeVersion: 1,
    params: { model: 'auto', duration: 120, steps: 4, seed },
  });
  const nodes: object[] = [{ id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'low', model: 'auto' } }, generate('first', 5)];
  const connections: object[] = [{ from: ['prompt', 'conditioning'], to: ['first', 'prompt'] }];
  const convert = { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: 'wav', wav_bit_depth: '32f' } };
  if (outputs === 'one-of-240-s') {
    nodes.push(generate('second', 6), { id: 'concat', type: 'audio.concat', typeVersion: 1, params: {} }, convert);
    nodes.push({ id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: 'long.{ext}' } });
    connections.push(
      { from: ['prompt', 'conditioning'], to: ['second', 'prompt'] },
      { from: ['first', 'audio'], to: ['concat', 'a'] },
      { from: ['second', 'audio'], to: ['concat', 'b'] },
      { from: ['concat', 'audio'], to: ['convert', 'audio'] },
      { from: ['convert', 'file'], to: ['save', 'file'] },
    );
  } else {
    nodes.push(convert, { id: 'save-a', type: 'audio.save', typeVersion: 1, params: { filename: 'a.{ext}' } });
    nodes.push({ id: 'save-b', type: 'audio.save', typeVersion: 1, params: { filename: 'b.{ext}' } });
    connections.push(
      { from: ['first', 'audio'], to: ['convert', 'audio'] },
      { from: ['convert', 'file'], to: ['save-a', 'file'] },
      { from: ['convert', 'file'], to: ['save-b', 'file'] },
    );
  }
  return { format: 'sa3-workflow', version: 1, name: 'big', nodes, connections };
}

/** BullMQ's job id of a run, as the server makes it. */
const jobIdOfRun = (runId: string): string => `run-${Buffer.from(runId, 'utf8').toString('base64url')}`;

describe.skipIf(redisSkipReason !== '')('files between a server and workers that share no folder', () => {
  let redis: TestRedis;
  let server: { sa3: Sa3Process; url: string; home: string };
  let worker: Sa3Process;
  let workerTmp: string;
  let workerHome: string;
  let tone: Uint8Array<ArrayBuffer>;

  const postRun = async (url: string, workflow: object): Promise<string> => {
    const response = await fetch(`${url}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workflow }) });
    expect(response.status).toBe(202);
    return ((await response.json()) as RunState).id;
  };
  const runState = async (url: string, id: string): Promise<RunState> => (await (await fetch(`${url}/api/runs/${id}`)).json()) as RunState;
  const uploadTone = async (): Promise<string> => {
    const response = await fetch(`${server.url}/api/uploads?name=tone.wav`, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: tone });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const redisCli = (...args: string[]): string => execFileSync('redis-cli', ['-p', String(redis.port), ...args], { encoding: 'utf8' }).trim();
  /** The job data the server put on the queue (just after its 202), as BullMQ keeps it in Redis. */
  const jobData = async (runId: string): Promise<{ files: { serverUrl: string; token: string; inputs: { id: string; sha256: string; bytes: number }[] } }> => {
    const key = `bull:sa3-pack-auto:${jobIdOfRun(runId)}`;
    for (let i = 0; i < 50 && redisCli('EXISTS', key) !== '1'; i++) await new Promise((r) => setTimeout(r, 20));
    return JSON.parse(redisCli('HGET', key, 'data')) as never;
  };
  const workerUploads = async (): Promise<string[]> => {
    const [workDir] = (await readdir(workerTmp)).filter((name) => name.startsWith('sa3-worker-'));
    return readdir(join(workerTmp, workDir!, 'uploads')).catch(() => []);
  };

  beforeAll(async () => {
    redis = await startRedis();
    workerHome = await tempDir('sa3-transfer-worker-home-');
    expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: { SA3_HOME: workerHome } })).code).toBe(0);
    // Server and worker have their own SA3_HOME and TMPDIR: nothing on disk is shared.
    const { home, tmp } = await isolatedDirs();
    server = { ...(await startServe({ SA3_HOME: home, TMPDIR: tmp }, ['--redis', redis.url, '--queue', '10'])), home };
    workerTmp = (await isolatedDirs()).tmp;
    worker = startSa3(['worker', '--redis', redis.url, '--stall-seconds', '10'], { SA3_HOME: workerHome, TMPDIR: workerTmp });
    await worker.line(/taking jobs from /);
    const scratch = await tempDir('sa3-transfer-tone-');
    const wav = join(scratch, 'tone.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=660:sample_rate=44100:duration=2', '-ac', '2', wav]);
    tone = new Uint8Array(await readFile(wav));
  });

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    server?.sa3.child.kill('SIGKILL');
    await Promise.all([worker?.exited, server?.sa3.exited]);
    await redis?.dispose();
  });

  it('runs a workflow reading a take uploaded to the server on a worker: its output has the take’s tone, and the worker’s copy goes', async () => {
    const source = await uploadTone();
    const id = await postRun(server.url, loadAndSave(source, 'copy'));
    expect((await (await openRunEvents(server.url, id)).ended).at(-1)!.type).toBe('run-done');
    const state = await runState(server.url, id);
    expect(state.status).toBe('succeeded');
    expect(worker.stdout()).toContain(`sa3 worker: succeeded ${id}\n`);
    const scratch = await tempDir('sa3-transfer-out-');
    const path = join(scratch, 'copy.wav');
    await writeFile(path, Buffer.from(await (await fetch(server.url + state.outputs[0]!.url)).arrayBuffer()));
    const [left] = decodeWithFfmpeg(path);
    expect(left!.length).toBe(2 * 44_100);
    expect(dominantFrequency(left!, 44_100, 0)).toBeCloseTo(660, -0.5);
    expect(await workerUploads()).toEqual([]);
  });

  it('runs a Replicate prediction whose init_audio links to a file uploaded to /v1/files on a worker', async () => {
    const form = new FormData();
    form.append('content', new Blob([tone], { type: 'audio/wav' }), 'take.wav');
    const file = (await (await fetch(`${server.url}/v1/files`, { method: 'POST', body: form })).json()) as { urls: { get: string } };
    const response = await fetch(`${server.url}/v1/models/jimothyjohn/stable-audio-3-medium/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'wait' },
      body: JSON.stringify({ input: { prompt: 'mid', init_audio: file.urls.get, duration: 2, steps: 4, seed: 9 } }),
    });
    const prediction = readPrediction(await response.json(), 'POST /v1/models/.../predictions with init_audio');
    expect(prediction.status, String(prediction.error)).toBe('succeeded');
    const path = join(await tempDir('sa3-transfer-edit-'), 'edit.wav');
    await writeFile(path, decodeDataUri(prediction.output as string));
    expect(probe(path).durationSeconds).toBeCloseTo(2, 2);
    expect(await workerUploads()).toEqual([]);
  });

  it('runs a Cog prediction whose init_audio is a data: URI on a worker: the audio travels inside the job', async () => {
    const response = await fetch(`${server.url}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        input: { prompt: 'mid', init_audio: `data:audio/wav;base64,${Buffer.from(tone).toString('base64')}`, duration: 2, steps: 4, seed: 9 },
      }),
    });
    const prediction = readPrediction(await response.json(), 'POST /predictions with a data: URI init_audio');
    expect(prediction.status, String(prediction.error)).toBe('succeeded');
    const path = join(await tempDir('sa3-transfer-cog-'), 'edit.wav');
    await writeFile(path, decodeDataUri(prediction.output as string));
    expect(probe(path).durationSeconds).toBeCloseTo(2, 2);
  });

  it('brings an 85 MB output back over HTTP byte for byte, into the run folder and nothing else', async () => {
    const id = await postRun(server.url, bigOutputWorkflow('one-of-240-s'));
    expect((await (await openRunEvents(server.url, id)).ended).at(-1)!.type).toBe('run-done');
    const state = await runState(server.url, id);
    expect(state.status).toBe('succeeded');
    const bytes = Buffer.from(await (await fetch(server.url + state.outputs[0]!.url)).arrayBuffer());
    expect(bytes.length).toBeGreaterThan(64 * 1024 * 1024);
    // 240 s of 32-bit float stereo, and a header (with the workflow embedded) of less than 64 kB.
    expect(bytes.length - 240 * 44_100 * 2 * 4).toBeGreaterThan(0);
    expect(bytes.length - 240 * 44_100 * 2 * 4).toBeLessThan(65_536);
    expect(sha256(bytes)).toBe(state.outputs[0]!.sha256);
    expect(await filesUnder(join(server.home, 'outputs', id))).toEqual(['long.wav']);
    expect(sha256(await readFile(join(server.home, 'outputs', id, 'long.wav')))).toBe(state.outputs[0]!.sha256);
  });

  it('answers job file requests only with that job’s token, and a broken or false transfer leaves nothing in the run folder', async () => {
    const source = await uploadTone();
    const slow = await postRun(server.url, slowWorkflowReading(source, 3));
    const stream = await openRunEvents(server.url, slow);
    await stream.until((e) => e.type === 'node-progress' && e.node === 'generate');
    // The one worker is busy: this job waits on the queue with its own token.
    const waiting = await postRun(server.url, loadAndSave(source, 'waiting'));
    const job = jobIdOfRun(slow);
    const { files } = await jobData(slow);
    const other = (await jobData(waiting)).files;
    expect(files.serverUrl).toBe(server.url);
    expect(files.inputs).toEqual([{ id: source.slice('upload:'.length), sha256: sha256(tone), bytes: tone.length }]);
    expect(other.token).not.toBe(files.token);

    const input = `${server.url}/api/jobs/${job}/inputs/${files.inputs[0]!.id}`;
    const refusal = async (response: Response): Promise<[number, string]> => [response.status, ((await response.json()) as { detail: string }).detail];
    expect(await refusal(await fetch(input))).toEqual([403, `job files are served only with the job's token in the ${TOKEN_HEADER} header`]);
    const wrong = `the ${TOKEN_HEADER} given is not the token of job ${job}, or that job has ended`;
    expect(await refusal(await fetch(input, { headers: { [TOKEN_HEADER]: other.token } }))).toEqual([403, wrong]);
    expect(await refusal(await fetch(input, { headers: { [TOKEN_HEADER]: 'f'.repeat(64) } }))).toEqual([403, wrong]);
    const served = await fetch(input, { headers: { [TOKEN_HEADER]: files.token } });
    expect(served.status).toBe(200);
    expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(sha256(tone));

    const runFolder = join(server.home, 'outputs', slow);
    const output = `${server.url}/api/jobs/${job}/outputs/0`;
    const put = (url: string, headers: Record<string, string>, body: Uint8Array<ArrayBuffer>) =>
      fetch(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', ...headers }, body });
    expect(await refusal(await put(output, { [TOKEN_HEADER]: other.token, 'x-sa3-sha256': sha256(tone) }, tone))).toEqual([403, wrong]);
    expect(await refusal(await put(output, { [TOKEN_HEADER]: files.token, 'x-sa3-sha256': sha256(Buffer.from('other')) }, tone))).toEqual([
      422,
      `output 0 of job ${job} arrived with other bytes than its sha256 says (${tone.length} bytes received)`,
    ]);
    const escape = await put(
      `${server.url}/api/jobs/${job}/outputs/..%2F..%2Fescaped.wav`,
      { [TOKEN_HEADER]: files.token, 'x-sa3-sha256': sha256(tone) },
      tone,
    );
    expect(escape.status).toBe(404);
    // A transfer that breaks half-way: half the bytes are sent, seen arriving on the server's disk, then the connection is cut.
    const cut = request(output, { method: 'PUT', headers: { [TOKEN_HEADER]: files.token, 'x-sa3-sha256': sha256(tone), 'content-length': tone.length } });
    const closed = new Promise((resolve) => cut.on('close', resolve));
    cut.on('error', () => undefined);
    cut.write(tone.subarray(0, tone.length / 2));
    const arriving = async (): Promise<string[]> => (await filesUnder(runFolder)).filter((f) => f.endsWith('.partial'));
    for (let i = 0; i < 50 && (await arriving()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await arriving()).toHaveLength(1);
    cut.destroy();
    await closed;
    // The server notices the cut connection on its own time: the partial file must be gone once it has.
    for (let i = 0; i < 50 && (await filesUnder(runFolder)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await filesUnder(runFolder)).toEqual([]);
    expect(await filesUnder(join(server.home, 'outputs')).then((all) => all.filter((f) => f.includes('escaped')))).toEqual([]);

    expect((await stream.ended).at(-1)!.type).toBe('run-done');
    const state = await runState(server.url, slow);
    expect(state.status).toBe('succeeded');
    expect(await filesUnder(runFolder)).toEqual(['long.wav', 'take.wav']);
    for (const file of state.outputs) expect(sha256(await readFile(join(runFolder, file.url.split('/').pop()!)))).toBe(file.sha256);
    // The job has ended: its token with it.
    expect(await refusal(await fetch(input, { headers: { [TOKEN_HEADER]: files.token } }))).toEqual([403, wrong]);
    expect((await (await openRunEvents(server.url, waiting)).ended).at(-1)!.type).toBe('run-done');
  });

  it('fails at once, in one sentence, a prediction whose uploaded init_audio was deleted while its job waited', async () => {
    // Another seed than the run before: nothing cached, so the worker samples while the test acts.
    const busy = await postRun(server.url, slowWorkflowReading(await uploadTone(), 4));
    const stream = await openRunEvents(server.url, busy);
    await stream.until((e) => e.type === 'node-progress' && e.node === 'generate');
    const form = new FormData();
    form.append('content', new Blob([tone], { type: 'audio/wav' }), 'take.wav');
    const file = (await (await fetch(`${server.url}/v1/files`, { method: 'POST', body: form })).json()) as { id: string; urls: { get: string } };
    const created = await fetch(`${server.url}/v1/models/jimothyjohn/stable-audio-3-medium/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'mid', init_audio: file.urls.get, duration: 2, steps: 4, seed: 9 } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const [input] = (await jobData(id)).files.inputs;
    expect((await fetch(`${server.url}/v1/files/${file.id}`, { method: 'DELETE' })).status).toBe(204);

    expect((await (await openRunEvents(server.url, id)).ended).at(-1)!.type).toBe('run-error');
    const prediction = (await (await fetch(`${server.url}/v1/predictions/${id}`)).json()) as { status: string; error: string };
    expect(prediction.status).toBe('failed');
    expect(prediction.error).toBe(
      `the server refused the job's input upload:${input!.id} (410: the upload "${input!.id}" job ${jobIdOfRun(id)} reads was deleted from this server after the job was queued)`,
    );
    expect(worker.stdout().match(new RegExp(`sa3 worker: running ${id} `, 'g'))).toHaveLength(1);
    expect((await stream.ended).at(-1)!.type).toBe('run-done');
  });

  it('serves workers a server started with --token, with the job’s token alone; the server’s token opens no job files', async () => {
    const { home, tmp } = await isolatedDirs();
    const guarded = await startServe({ SA3_HOME: home, TMPDIR: tmp }, ['--redis', redis.url, '--token', 'sesame']);
    try {
      const auth = { authorization: 'Bearer sesame' };
      const uploaded = await fetch(`${guarded.url}/api/uploads?name=tone.wav`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'audio/wav' },
        body: tone,
      });
      const source = ((await uploaded.json()) as { id: string }).id;
      const posted = await fetch(`${guarded.url}/api/runs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ workflow: loadAndSave(source, 'guarded') }),
      });
      expect(posted.status).toBe(202);
      const id = ((await posted.json()) as RunState).id;
      const { files } = await jobData(id);
      const input = `${guarded.url}/api/jobs/${jobIdOfRun(id)}/inputs/${files.inputs[0]!.id}`;
      expect((await fetch(input, { headers: auth })).status).toBe(403);
      let state = (await (await fetch(`${guarded.url}/api/runs/${id}`, { headers: auth })).json()) as RunState;
      for (let i = 0; i < 100 && ['queued', 'running'].includes(state.status); i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = (await (await fetch(`${guarded.url}/api/runs/${id}`, { headers: auth })).json()) as RunState;
      }
      expect(state.status, state.report?.error?.message).toBe('succeeded');
      const path = join(await tempDir('sa3-transfer-guarded-'), 'guarded.wav');
      await writeFile(path, Buffer.from(await (await fetch(guarded.url + state.outputs[0]!.url, { headers: auth })).arrayBuffer()));
      expect(dominantFrequency(decodeWithFfmpeg(path)[0]!, 44_100, 0)).toBeCloseTo(660, -0.5);
    } finally {
      guarded.sa3.child.kill('SIGKILL');
      await guarded.sa3.exited;
    }
  });

  it('a worker starting removes the folder a killed worker left in its temp dir (half-fetched uploads too), not one a running worker uses', async () => {
    const { tmp } = await isolatedDirs();
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const left = join(tmp, `sa3-worker-${deadPid}-abc123`);
    await mkdir(join(left, 'uploads'), { recursive: true });
    await writeFile(join(left, 'uploads', `.take.wav.${deadPid}.partial`), 'half a take');
    const inUse = `sa3-worker-${process.pid}-def456`;
    await mkdir(join(tmp, inUse));
    const second = startSa3(['worker', '--redis', redis.url], { SA3_HOME: workerHome, TMPDIR: tmp });
    await second.line(/taking jobs from /);
    const folders = await readdir(tmp);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(folders).toContain(inUse);
    expect(folders).not.toContain(`sa3-worker-${deadPid}-abc123`);
    expect(folders.filter((f) => new RegExp(`^sa3-worker-${second.pid}-`).test(f))).toHaveLength(1);
    expect(await readdir(tmp)).toEqual([inUse]);
  });

  describe('with a server workers cannot reach over HTTP', () => {
    let unreachable: { sa3: Sa3Process; url: string };
    let closedPort: number;

    beforeAll(async () => {
      closedPort = await freePort();
      const { home, tmp } = await isolatedDirs();
      unreachable = await startServe({ SA3_HOME: home, TMPDIR: tmp }, ['--redis', redis.url, '--public-url', `http://127.0.0.1:${closedPort}`]);
    });

    afterAll(async () => {
      unreachable?.sa3.child.kill('SIGKILL');
      await unreachable?.sa3.exited;
    });

    it('small outputs come back through Redis instead', async () => {
      const response = await fetch(`${unreachable.url}/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: { prompt: 'hum', seed: 2, duration: 1, steps: 4 } }),
      });
      const prediction = readPrediction(await response.json(), 'POST /predictions on a server workers cannot reach');
      expect(prediction.status, String(prediction.error)).toBe('succeeded');
      const path = join(await tempDir('sa3-transfer-redis-'), 'hum.wav');
      await writeFile(path, decodeDataUri(prediction.output as string));
      expect(decodeWithFfmpeg(path)[0]!.length).toBe(44_100);
    });

    it('a run whose outputs are too big for Redis fails after 3 attempts, saying why, and the next one runs', async () => {
      const id = await postRun(unreachable.url, bigOutputWorkflow('two-of-120-s'));
      expect((await (await openRunEvents(unreachable.url, id)).ended).at(-1)!.type).toBe('run-error');
      const state = await runState(unreachable.url, id);
      expect(state.status).toBe('failed');
      expect(state.outputs).toEqual([]);
      expect(state.report!.error!.message).toBe(
        `the run's outputs are 84.7 MB, more than the 67.1 MB a job may hand back through Redis, and the server at http://127.0.0.1:${closedPort} ` +
          `cannot be reached to take them over HTTP (connect ECONNREFUSED 127.0.0.1:${closedPort})`,
      );
      const attempts = worker
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith(`sa3 worker: running ${id} `)).length;
      expect(attempts).toBe(3);
      const next = await fetch(`${unreachable.url}/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: { prompt: 'low', seed: 1, duration: 1, steps: 4 } }),
      });
      expect(readPrediction(await next.json(), 'POST /predictions after a job that failed on every attempt').status).toBe('succeeded');
    });
  });
});
