// Job files for npm run bench: a 40 MB output handed back from a worker to the server over HTTP
// (PUT with the job's token, sha256 checked, staged, then linked into the run's folder) against
// through Redis (SET, GET, sha256 checked, written), median of 7 each, on one machine.
import { randomBytes, createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startJobFilesServer } from './job-files-server.mjs';

const dist = new URL('../../packages/runtime/dist/', import.meta.url);
const { sendOutputs, portableReport } = await import(new URL('queue/output-transfer.js', dist).href);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function jobFilesBench(report) {
  const server = await startJobFilesServer();
  if (!server) {
    console.log('job files bench skipped: redis-server is not installed (scripts/install.sh installs it)');
    return;
  }
  const { dir, redis, files } = server;
  try {
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
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  await jobFilesBench((name, value, unit, note) => console.log(`${name.padEnd(52)} ${String(value).padStart(12)} ${unit.padEnd(8)} ${note ?? ''}`));
