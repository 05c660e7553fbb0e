// Job files for npm run bench: a 40 MB output handed back from a worker to the server over HTTP
// (PUT with the job's token, sha256 checked, staged, then linked into the run's folder) against
// through Redis (SET, GET, sha256 checked, written), median of 7 each, on one machine.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const dist = new URL('../../packages/runtime/dist/', import.meta.url);
const { JobFiles } = await import(new URL('queue/job-files.js', dist).href);
const { sendOutputs, portableReport } = await import(new URL('queue/output-transfer.js', dist).href);
const { registerJobFileRoutes } = await import(new URL('server/job-file-routes.js', dist).href);

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
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function jobFilesBench(report) {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
    console.log('job files bench skipped: redis-server is not installed (scripts/install.sh installs it)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sa3-bench-job-files-'));
  const port = await freePort();
  const redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''], { stdio: 'ignore' });
  const app = Fastify({ logger: false });
  let redis;
  try {
    while (!(await accepting(port))) await new Promise((r) => setTimeout(r, 50));
    redis = new Redis({ host: '127.0.0.1', port });
    const files = new JobFiles(redis, undefined);
    registerJobFileRoutes(app, files);
    files.serveAt(await app.listen({ host: '127.0.0.1', port: 0 }));

    const bytes = randomBytes(40 * 1024 * 1024);
    const workerOut = join(dir, 'worker-take.wav');
    writeFileSync(workerOut, bytes);
    const output = {
      node: 'save',
      path: 'take.wav',
      absolutePath: workerOut,
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      mime: 'audio/wav',
    };
    const runReport = { status: 'succeeded', outputs: [output] };
    const handBack = async (i, viaHttp) => {
      const jobId = `bench-${viaHttp ? 'http' : 'redis'}-${i}`;
      const outDir = join(dir, jobId);
      const transfer = await files.open(jobId, outDir, { nodes: [] });
      const t = performance.now();
      const { outputKeys } = await sendOutputs(redis, jobId, runReport, viaHttp ? transfer : undefined);
      await files.receive(jobId, { report: portableReport(runReport), outputKeys, worker: 'bench' }, outDir);
      const ms = performance.now() - t;
      rmSync(outDir, { recursive: true, force: true });
      return ms;
    };
    const times = { http: [], redis: [] };
    for (let i = 0; i < 8; i++) {
      // Alternating, the first of each left out: both paths see the same machine.
      const http = await handBack(i, true);
      const viaRedis = await handBack(i, false);
      if (i > 0) (times.http.push(http), times.redis.push(viaRedis));
    }
    const [http, viaRedis] = [median(times.http), median(times.redis)];
    report(
      'a 40 MB output back over HTTP / through Redis',
      (http / viaRedis).toFixed(2),
      'x',
      `(median of 7: ${http.toFixed(0)} ms against ${viaRedis.toFixed(0)} ms)`,
    );
  } finally {
    await app.close();
    redis?.disconnect();
    redisServer.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  await jobFilesBench((name, value, unit, note) => console.log(`${name.padEnd(52)} ${String(value).padStart(12)} ${unit.padEnd(8)} ${note ?? ''}`));
