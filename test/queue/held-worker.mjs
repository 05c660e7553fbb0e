// The runtime's queue worker over the test pack in SA3_HOME, as sa3 worker starts it, except that
// once the server has taken a job's output files it holds the job there (before the previews go
// and before the job completes) until a line arrives on stdin: a test can restart the server in
// that gap. Usage: node held-worker.mjs REDIS_URL; prints "taking jobs", then "holding <url>" per output taken.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PackLocator, createRuntime, nodeOutputPreview } from '@sa3/runtime';

const queue = await import(new URL('../../packages/runtime/dist/queue/index.js', import.meta.url).href);
const [redisUrl] = process.argv.slice(2);

const releases = [];
createInterface({ input: process.stdin }).on('line', () => releases.shift()?.());
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  const response = await realFetch(url, init);
  if (init?.method === 'PUT' && /\/outputs\/\d+$/.test(String(url)) && response.ok) {
    await new Promise((resolve) => {
      releases.push(resolve);
      process.stdout.write(`holding ${String(url)}\n`);
    });
  }
  return response;
};

const packs = (await new PackLocator().list()).map((p) => p.manifest.id);
const workDir = mkdtempSync(join(tmpdir(), 'sa3-test-held-worker-'));
const uploadDir = join(workDir, 'uploads');
const runtime = createRuntime({ baseDir: workDir, uploadDir });
const worker = await queue.startQueueWorker({
  redis: queue.parseRedisUrl(redisUrl),
  packs,
  executor: runtime.executor,
  preview: nodeOutputPreview,
  workDir,
  uploadDir,
  stallMs: 10_000,
  log: (line) => process.stdout.write(`${line}\n`),
});
process.on('SIGTERM', () => {
  void worker.close().then(async () => {
    await runtime.close();
    rmSync(workDir, { recursive: true, force: true });
    process.exit(0);
  });
});
process.stdout.write('taking jobs\n');
