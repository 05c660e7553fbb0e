// Queue scaling for npm run bench: predictions per second through sa3 serve --redis with 1, 2 and 3
// workers whose engine sleeps a fixed time per sampling step (gated-worker.mjs), so the ratios show
// how the queue spreads work, not how many cores this machine has.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTestPack } from '@sa3/runtime/testpack';
import { startBenchRedis } from './bench-redis.mjs';
import { startBenchServer } from './start-server.mjs';

const STEP_MS = 100;
const STEPS = 8;
const JOBS = 24;

function startGatedWorker(redisUrl, home) {
  const child = spawn(process.execPath, [new URL('./gated-worker.mjs', import.meta.url).pathname, redisUrl, String(STEP_MS)], {
    env: { ...process.env, SA3_HOME: home, SA3_PACKS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('taking jobs') && resolve(child));
    child.on('exit', (code) => reject(new Error(`a gated worker exited with ${code}`)));
  });
}

/** JOBS predictions sent at once; jobs per second from the first sent to the last answered. */
async function jobsPerSecond(url, firstSeed) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: JOBS }, async (_, i) => {
      const response = await fetch(`${url}/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: { prompt: 'mid', seed: firstSeed + i, duration: 1, steps: STEPS } }),
      });
      const body = await response.json();
      if (body.status !== 'succeeded') throw new Error(`a bench prediction ended ${body.status}: ${JSON.stringify(body.error ?? body.detail)}`);
    }),
  );
  return JOBS / ((performance.now() - started) / 1000);
}

export async function queueThroughputBench(report) {
  const redis = await startBenchRedis();
  if (!redis) {
    console.log('queue throughput bench skipped: redis-server is not installed (scripts/install.sh installs it)');
    return;
  }
  const home = mkdtempSync(join(tmpdir(), 'sa3-bench-gated-'));
  const workers = [];
  let server;
  try {
    await writeTestPack(join(home, 'packs', 'small-music'), { id: 'small-music', objective: 'rf_denoiser', layout: 'baked' });
    server = await startBenchServer(['--queue', String(JOBS), '--no-cache', '--redis', redis.url]);
    const rates = [];
    for (let count = 1; count <= 3; count++) {
      workers.push(await startGatedWorker(redis.url, home));
      rates.push(await jobsPerSecond(server.url, count * 1000));
    }
    const ideal = 1000 / (STEPS * STEP_MS);
    report(
      'queue throughput, 1 gated worker',
      rates[0].toFixed(2),
      'jobs/s',
      `(${JOBS} predictions at once, ${STEPS} steps of ${STEP_MS} ms: at most ${ideal.toFixed(2)} jobs/s per worker)`,
    );
    for (const count of [2, 3])
      report(
        `queue throughput, ${count} gated workers / 1`,
        (rates[count - 1] / rates[0]).toFixed(2),
        'x',
        `(${rates[count - 1].toFixed(2)} jobs/s; ideal ${count}.00x)`,
      );
  } finally {
    await server?.stop();
    for (const worker of workers) worker.kill('SIGKILL');
    redis.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
