// Queue figures for npm run bench: per-job time of a prediction through sa3 serve --redis and one
// sa3 worker, against the same prediction run in the server's own process (median of 50 each, in turns).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTestPack } from '@sa3/runtime/testpack';
import { startBenchRedis } from './bench-redis.mjs';
import { startBenchServer } from './start-server.mjs';

const cli = new URL('../../packages/runtime/dist/cli/main.js', import.meta.url).pathname;

/** What a prediction's response dates split its time into; started is when the worker (or the server) began to run it. */
const PHASES = { toStart: 'asked -> started', run: 'started -> completed', toAnswer: 'completed -> answered' };
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One prediction; its time and its phases as its response dates them: asked -> started -> completed -> answered. */
async function predict(url, seed) {
  const asked = Date.now();
  const t = performance.now();
  const response = await fetch(`${url}/predictions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input: { prompt: 'mid', seed, duration: 1, steps: 4 } }),
  });
  const body = await response.json();
  const ms = performance.now() - t;
  if (body.status !== 'succeeded') throw new Error(`a bench prediction ended ${body.status}: ${JSON.stringify(body.error ?? body.detail)}`);
  const [started, completed] = [Date.parse(body.started_at), Date.parse(body.completed_at)];
  return { ms, toStart: started - asked, run: completed - started, toAnswer: Date.now() - completed };
}

/**
 * Medians over `runs` predictions to each server, taken in turns (one, then the other), so both
 * see the same machine: other work on it slows both alike instead of whichever ran second.
 */
async function medianPredictions(urls, runs) {
  const samples = urls.map(() => []);
  for (let i = 0; i < 5; i++) for (const url of urls) await predict(url, i); // sessions opened, caches warm
  for (let i = 0; i < runs; i++) for (const [k, url] of urls.entries()) samples[k].push(await predict(url, 1000 + i));
  return samples.map((taken) => Object.fromEntries(['ms', ...Object.keys(PHASES)].map((key) => [key, median(taken.map((p) => p[key]))])));
}

export async function queueBench(report) {
  const redis = await startBenchRedis();
  if (!redis) {
    console.log('queue bench skipped: redis-server is not installed (scripts/install.sh installs it)');
    return;
  }
  const workerHome = mkdtempSync(join(tmpdir(), 'sa3-bench-worker-'));
  let worker;
  let queued;
  let local;
  try {
    await writeTestPack(join(workerHome, 'packs', 'small-music'), { id: 'small-music', objective: 'rf_denoiser', layout: 'baked' });
    worker = spawn(process.execPath, [cli, 'worker', '--redis', redis.url], {
      env: { ...process.env, SA3_HOME: workerHome },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve) => worker.stdout.on('data', (chunk) => String(chunk).includes('taking jobs from') && resolve()));
    queued = await startBenchServer(['--queue', '4', '--no-cache', '--redis', redis.url]);
    local = await startBenchServer(['--queue', '4', '--no-cache']);
    const [viaQueue, inProcess] = await medianPredictions([queued.url, local.url], 50);
    report(
      'prediction through Redis + 1 worker / in-process',
      (viaQueue.ms / inProcess.ms).toFixed(2),
      'x',
      `(median of 50 each, taken in turns, 1 s at 4 steps: ${viaQueue.ms.toFixed(0)} ms against ${inProcess.ms.toFixed(0)} ms; load average ${loadavg()[0].toFixed(1)})`,
    );
    const phases = Object.entries(PHASES).map(([key, label]) => `${label} ${viaQueue[key]} / ${inProcess[key]} ms`);
    report('  its phases, queue / in-process (medians)', '', '', `(${phases.join(', ')})`);
  } finally {
    await local?.stop();
    await queued?.stop();
    worker?.kill('SIGTERM');
    redis.stop();
    rmSync(workerHome, { recursive: true, force: true });
  }
}
