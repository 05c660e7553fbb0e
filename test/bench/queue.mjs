// Queue figures for npm run bench: per-job time of a prediction through sa3 serve --redis and one
// sa3 worker, against the same prediction run in the server's own process (median of 50 each).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTestPack } from '@sa3/runtime/testpack';
import { startBenchServer } from './start-server.mjs';

const cli = new URL('../../packages/runtime/dist/cli/main.js', import.meta.url).pathname;

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const accepting = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function medianPredictionMs(url, runs) {
  const send = async (seed) => {
    const response = await fetch(`${url}/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { prompt: 'mid', seed, duration: 1, steps: 4 } }),
    });
    const body = await response.json();
    if (body.status !== 'succeeded') throw new Error(`a bench prediction ended ${body.status}: ${JSON.stringify(body.error ?? body.detail)}`);
  };
  for (let i = 0; i < 5; i++) await send(i); // sessions opened, caches warm
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await send(1000 + i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function queueBench(report) {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
    console.log('queue bench skipped: redis-server is not installed (scripts/install.sh installs it)');
    return;
  }
  const local = await startBenchServer(['--queue', '4', '--no-cache']);
  let inProcess;
  try {
    inProcess = await medianPredictionMs(local.url, 50);
  } finally {
    local.stop();
  }

  const dir = mkdtempSync(join(tmpdir(), 'sa3-bench-redis-'));
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  const workerHome = mkdtempSync(join(tmpdir(), 'sa3-bench-worker-'));
  let worker;
  let queued;
  try {
    while (!(await accepting(port))) await new Promise((r) => setTimeout(r, 50));
    await writeTestPack(join(workerHome, 'packs', 'small-music'), { id: 'small-music', objective: 'rf_denoiser', layout: 'baked' });
    worker = spawn(process.execPath, [cli, 'worker', '--redis', `redis://127.0.0.1:${port}`], {
      env: { ...process.env, SA3_HOME: workerHome },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve) => worker.stdout.on('data', (chunk) => String(chunk).includes('taking jobs from') && resolve()));
    queued = await startBenchServer(['--queue', '4', '--no-cache', '--redis', `redis://127.0.0.1:${port}`]);
    const viaQueue = await medianPredictionMs(queued.url, 50);
    report(
      'prediction through Redis + 1 worker / in-process',
      (viaQueue / inProcess).toFixed(2),
      'x',
      `(median of 50, 1 s at 4 steps: ${viaQueue.toFixed(0)} ms against ${inProcess.toFixed(0)} ms)`,
    );
  } finally {
    queued?.stop();
    worker?.kill('SIGTERM');
    redis.kill('SIGTERM');
    rmSync(workerHome, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
