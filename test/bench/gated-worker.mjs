// A queue worker for the throughput bench: the runtime's own worker and executor over the test pack
// in SA3_HOME, whose engine sleeps STEP_MS per sampling step first, so a job takes a known time
// whatever the machine's cores. Usage: node gated-worker.mjs REDIS_URL STEP_MS
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackLocator, Sa3Engine, createRuntime } from '@sa3/runtime';

const queue = await import(new URL('../../packages/runtime/dist/queue/index.js', import.meta.url).href);
const [redisUrl, stepMsText] = process.argv.slice(2);
const stepMs = Number(stepMsText);

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
const inner = new Sa3Engine({ packs: new PackLocator(), log: () => undefined });
const gated = new Proxy(inner, {
  get(target, name) {
    const value = Reflect.get(target, name);
    if (name === 'generate' || name === 'edit' || name === 'inpaint')
      return async (request, ctx) => {
        await sleep(request.steps * stepMs, ctx.signal);
        return value.call(target, request, ctx);
      };
    return typeof value === 'function' ? value.bind(target) : value;
  },
});

const packs = (await new PackLocator().list()).map((p) => p.manifest.id);
// Sessions opened before the first job, so every worker starts warm.
await inner.generate(
  { model: packs[0], prompt: { text: 'mid', model: packs[0] }, steps: 4, cfgScale: 1, seed: 1, durationSeconds: 1 },
  { signal: new AbortController().signal, onProgress: () => undefined },
);
const workDir = mkdtempSync(join(tmpdir(), 'sa3-bench-gated-worker-'));
const uploadDir = join(workDir, 'uploads');
const runtime = createRuntime({ baseDir: workDir, uploadDir, engine: gated });
const worker = await queue.startQueueWorker({
  redis: queue.parseRedisUrl(redisUrl),
  packs,
  executor: runtime.executor,
  workDir,
  uploadDir,
  log: () => undefined,
});
process.on('SIGTERM', () => {
  void worker.close().then(async () => {
    await inner.close();
    rmSync(workDir, { recursive: true, force: true });
    process.exit(0);
  });
});
process.stdout.write('taking jobs\n');
