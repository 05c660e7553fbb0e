// The runtime's own queue worker and executor over the test pack in SA3_HOME, whose engine holds
// each sampling step for STEP_MS (the thread waits, as a slow GPU would), so a test can act while
// a job is part-way through its steps whatever the machine's speed.
// Usage: node paced-worker.mjs REDIS_URL STEP_MS; prints "taking jobs" once it does, a line per job it ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackLocator, Sa3Engine, createRuntime } from '@sa3/runtime';

const queue = await import(new URL('../../packages/runtime/dist/queue/index.js', import.meta.url).href);
const [redisUrl, stepMsText] = process.argv.slice(2);
const stepMs = Number(stepMsText);
const held = new Int32Array(new SharedArrayBuffer(4));

const inner = new Sa3Engine({ packs: new PackLocator(), log: () => undefined });
const paced = new Proxy(inner, {
  get(target, name) {
    const value = Reflect.get(target, name);
    if (name === 'generate' || name === 'edit' || name === 'inpaint')
      return (request, ctx) =>
        value.call(target, request, {
          ...ctx,
          onProgress: (step, total, phase) => {
            if (phase === undefined || phase === 'sampling') Atomics.wait(held, 0, 0, stepMs);
            ctx.onProgress(step, total, phase);
          },
        });
    return typeof value === 'function' ? value.bind(target) : value;
  },
});

const packs = (await new PackLocator().list()).map((p) => p.manifest.id);
const workDir = mkdtempSync(join(tmpdir(), 'sa3-test-paced-worker-'));
const uploadDir = join(workDir, 'uploads');
const runtime = createRuntime({ baseDir: workDir, uploadDir, engine: paced });
const worker = await queue.startQueueWorker({
  redis: queue.parseRedisUrl(redisUrl),
  packs,
  executor: runtime.executor,
  workDir,
  uploadDir,
  stallMs: 10_000,
  log: (line) => process.stdout.write(`${line}\n`),
});
process.on('SIGTERM', () => {
  void worker.close().then(async () => {
    await inner.close();
    rmSync(workDir, { recursive: true, force: true });
    process.exit(0);
  });
});
process.stdout.write('taking jobs\n');
