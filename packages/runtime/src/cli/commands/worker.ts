import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SAMPLE_RATE } from '@sa3/nodes';
import { ownedPrefix, removeLeftoversOfDeadProcesses } from '../../files/index.js';
import { createRuntime } from '../../host/index.js';
import { parseRedisUrl, startQueueWorker, type RedisAddress } from '../../queue/index.js';
import { defaultServerOptions, nodeOutputPreview } from '../../server/index.js';
import { PackLocator } from '../../store/index.js';
import { EXIT_INVALID_INPUT } from '../exit-codes.js';
import { watchStopSignals } from '../stop-signals.js';

type Values = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** Each worker's folder of job outputs and fetched uploads: <temp dir>/sa3-worker-<pid>-XXXXXX. */
const WORKER_DIR = /^sa3-worker-(\d+)-/;

function wholeNumber(text: string | undefined, flag: string, fallback: number): number | string {
  if (text === undefined) return fallback;
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : `--${flag} must be a whole number above 0, got "${text}"`;
}

function refuse(message: string): number {
  process.stderr.write(`sa3 worker: ${message}\n`);
  return EXIT_INVALID_INPUT;
}

/**
 * `sa3 worker --redis URL`: takes the jobs of `sa3 serve --redis URL` for the packs installed here
 * (and those that name no pack) and runs them, until Ctrl+C, SIGTERM or SIGHUP; then it takes no
 * new job, lets the running ones end and exits 0.
 */
export async function workerCommand(values: Values): Promise<number> {
  if (typeof values.redis !== 'string') return refuse('--redis URL is required, e.g. sa3 worker --redis redis://10.0.0.5:6379');
  let redis: RedisAddress;
  try {
    redis = parseRedisUrl(values.redis);
  } catch (error) {
    return refuse((error as Error).message);
  }
  const concurrency = wholeNumber(values.concurrency as string | undefined, 'concurrency', 1);
  const stallSeconds = wholeNumber(values['stall-seconds'] as string | undefined, 'stall-seconds', 30);
  if (typeof concurrency === 'string') return refuse(concurrency);
  if (typeof stallSeconds === 'string') return refuse(stallSeconds);
  const installed = await new PackLocator().list();
  const packs = installed.map((p) => p.manifest.id);
  const models = installed.map(({ manifest: m }) => ({ id: m.id, title: m.title, objective: m.objective, maxSeconds: m.maxSamples / SAMPLE_RATE }));
  if (packs.length === 0) return refuse('no model pack is installed on this box; install one (sa3 models pull ID) before starting a worker');

  const filesDir = typeof values.files === 'string' ? resolve(values.files) : defaultServerOptions().filesDir;
  await mkdir(tmpdir(), { recursive: true });
  // What a worker killed mid-job left here (outputs, half-fetched uploads) goes; running workers' folders stay.
  await removeLeftoversOfDeadProcesses(tmpdir(), WORKER_DIR);
  const workDir = await mkdtemp(join(tmpdir(), ownedPrefix('sa3-worker-')));
  // The uploads a job reads are fetched from the server into this folder, and removed after the job.
  const uploadDir = join(workDir, 'uploads');
  const runtime = createRuntime({ baseDir: filesDir, uploadDir, confinePaths: true });
  const log = (line: string): void => void process.stdout.write(`sa3 worker: ${line}\n`);
  const worker = await startQueueWorker({
    redis,
    packs,
    models,
    concurrency,
    executor: runtime.executor,
    preview: nodeOutputPreview,
    workDir,
    uploadDir,
    stallMs: stallSeconds * 1000,
    log,
  });
  await new Promise<void>((done) => {
    const watch = watchStopSignals((signal) => {
      process.stderr.write(`sa3 worker: ${signal}: finishing the jobs in hand, taking no new ones\n`);
      void worker
        .close()
        .catch((error: unknown) => process.stderr.write(`sa3 worker: while stopping: ${(error as Error).message}\n`))
        .then(async () => {
          await runtime.close();
          await rm(workDir, { recursive: true, force: true });
          watch.dispose();
          done();
        });
    });
    log(`${worker.id} taking jobs from ${worker.queues.join(', ')} on ${redis.display}`);
  });
  return 0;
}
