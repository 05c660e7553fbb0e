import { mkdtemp, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DelayedError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Executor, ResultCache, RunEvent, RunReport } from '../executor/index.js';
import { WorkerUploads } from './input-transfer.js';
import type { HandedPreviews, JobFileTransfer, RunJobData, RunJobResult } from './job-data.js';
import { portableReport, sendOutputs } from './output-transfer.js';
import { sendPreviews, type NodeOutputPreview } from './node-previews.js';
import { JobEventTeller } from './job-events.js';
import { ANY_PACK, CANCEL_CHANNEL, QUEUES_KEY, WORKER_KEY_PREFIX, cancelKey, packOfWorkflow, queueName } from './queue-names.js';
import { WORKER_MODELS_FIELD, workerModelsField, type WorkerModel } from './worker-models.js';
import { RunGate } from './run-gate.js';
import { connectionOptions, type RedisAddress } from './redis-url.js';
import { HAND_BACK_DELAY_MS, HAND_BACK_WINDOW_MS, idleWarmWorker, type WarmthRecord } from './warm-workers.js';

export interface QueueWorkerOptions {
  readonly redis: RedisAddress;
  /** The packs installed on this box: it takes their queues' jobs, and those that name no pack. */
  readonly packs: readonly string[];
  /** Those packs as GET /api/models lists them (title, longest audio): the server offers them to the editor. */
  readonly models?: readonly WorkerModel[];
  /** Jobs run at once on this box, over all its queues (default 1). */
  readonly concurrency?: number;
  /** With its result cache, the previews of what its nodes made go back to the server after a run succeeds. */
  readonly executor: Pick<Executor, 'run'> & { readonly cache?: ResultCache };
  /** Makes the preview of a node output that the editor plays (sa3 worker: audio as 16-bit WAV, files as they are). */
  readonly preview?: NodeOutputPreview;
  /** Runs write their outputs under here before they go back to the server. */
  readonly workDir: string;
  /** The executor's upload folder: the uploads a job reads are fetched from the server into it and removed after the job. */
  readonly uploadDir: string;
  /** How long a job whose worker went silent keeps its lock before another worker takes it (default 30 s). */
  readonly stallMs?: number;
  readonly log: (line: string) => void;
}

export interface QueueWorker {
  readonly id: string;
  readonly queues: readonly string[];
  /** Takes no new job, lets the running ones end and closes the connections. */
  close(): Promise<void>;
}

const HEARTBEAT_MS = 5000;

/** `sa3 worker`: takes jobs from the queues of the packs on this box and runs them with the executor. */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const id = `${hostname()}:${process.pid}`;
  const names = [...options.packs, ANY_PACK].map(queueName);
  const control = new Redis(connectionOptions(options.redis));
  const subscriber = new Redis(connectionOptions(options.redis));
  for (const client of [control, subscriber]) client.on('error', () => undefined); // ioredis reconnects; jobs wait meanwhile
  const controllers = new Map<string, AbortController>();
  const uploads = new WorkerUploads(options.uploadDir);
  await subscriber.subscribe(CANCEL_CHANNEL);
  subscriber.on('message', (_channel: string, jobId: string) => controllers.get(jobId)?.abort());
  await control.sadd(QUEUES_KEY, ...names);

  let done = 0;
  /** Folders of ended jobs being removed: a job is over for the server once its outputs are handed back. */
  const removals = new Set<Promise<void>>();
  /** The packs (or "auto") of the jobs run here: the engine keeps each pack it loaded. */
  const warm = new Set<string>();
  const workers: Worker<RunJobData, RunJobResult>[] = [];
  // Each queue has its own BullMQ Worker; the gate keeps the box to its concurrency over all of them.
  const gate = new RunGate(
    options.concurrency ?? 1,
    () => workers.forEach((w) => void w.pause(true)),
    () => workers.forEach((w) => void w.resume()),
  );
  const heartbeat = async (): Promise<void> => {
    const warmth: WarmthRecord = { warm: [...warm].join(','), busy: String(gate.busy), concurrency: String(options.concurrency ?? 1) };
    const record = {
      host: hostname(),
      pid: String(process.pid),
      packs: options.packs.join(','),
      [WORKER_MODELS_FIELD]: workerModelsField(options.models ?? []),
      done: String(done),
      ...warmth,
    };
    await control
      .multi()
      .hset(WORKER_KEY_PREFIX + id, record)
      .pexpire(WORKER_KEY_PREFIX + id, HEARTBEAT_MS * 3)
      .exec()
      .catch(() => undefined);
  };

  const process_ = async (job: Job<RunJobData, RunJobResult>, token?: string): Promise<RunJobResult> => {
    const pack = packOfWorkflow(job.data.workflow);
    if (!warm.has(pack) && Date.now() - job.timestamp < HAND_BACK_WINDOW_MS) {
      const other = await idleWarmWorker(control, pack, id).catch(() => null);
      if (other !== null) {
        options.log(`handing ${job.data.runId} back for ${other}, which has ${pack} loaded`);
        await job.moveToDelayed(Date.now() + HAND_BACK_DELAY_MS, token);
        throw new DelayedError();
      }
    }
    await gate.acquire();
    const controller = new AbortController();
    const jobId = job.id!;
    controllers.set(jobId, controller);
    // Asked while the folder is made: one wait for both.
    const cancelled = control.exists(cancelKey(jobId));
    cancelled.catch(() => undefined);
    const outDir = await mkdtemp(join(options.workDir, 'job-'));
    let releaseUploads = (): Promise<void> => Promise.resolve();
    try {
      if ((await cancelled) === 1) controller.abort();
      void heartbeat();
      options.log(`running ${job.data.runId} (attempt ${job.attemptsMade + 1})`);
      try {
        if (job.data.files) releaseUploads = await uploads.take(jobId, job.data.files, controller.signal);
      } catch (error) {
        // Cancelled while its uploads came in: the executor ends it cancelled.
        if (!controller.signal.aborted) throw error;
      }
      // Progress updates go one after another, so the server hears the events in their order.
      const teller = new JobEventTeller(control, job);
      const report = await options.executor.run(job.data.workflow, {
        outDir,
        signal: controller.signal,
        runId: job.data.runId,
        ...(job.data.workflowName ? { workflowName: job.data.workflowName } : {}),
        onEvent: (event: RunEvent) => teller.tell(event),
      });
      await teller.told();
      const { outputKeys } = report.status === 'succeeded' ? await sendOutputs(control, jobId, report, job.data.files) : { outputKeys: [] };
      const previews =
        report.status === 'succeeded' && job.data.nodePreviews !== false ? await previewsOf(jobId, report, job.data.files, outputKeys.length > 0) : undefined;
      done++;
      if (report.status === 'succeeded') warm.add(pack);
      options.log(`${report.status} ${job.data.runId}`);
      return { report: portableReport(report), outputKeys, worker: id, ...(previews ? { previews } : {}) };
    } finally {
      controllers.delete(jobId);
      await releaseUploads();
      const removal: Promise<void> = rm(outDir, { recursive: true, force: true })
        .catch(() => undefined)
        .finally(() => removals.delete(removal));
      removals.add(removal);
      gate.release();
      void heartbeat();
    }
  };

  /** Over HTTP only: when the outputs went through Redis, the server says why the run has no previews. */
  const previewsOf = async (jobId: string, report: RunReport, files: JobFileTransfer | undefined, viaRedis: boolean): Promise<HandedPreviews | undefined> => {
    const { cache } = options.executor;
    const preview = options.preview;
    if (!files || viaRedis || !cache || !preview) return undefined;
    return sendPreviews(files, jobId, report, (key) => cache.get(key), preview);
  };

  const stallMs = options.stallMs ?? 30_000;
  for (const name of names) {
    const worker = new Worker<RunJobData, RunJobResult>(name, process_, {
      connection: connectionOptions(options.redis),
      concurrency: options.concurrency ?? 1,
      lockDuration: stallMs,
      stalledInterval: stallMs,
      maxStalledCount: 1,
    });
    worker.on('error', () => undefined);
    workers.push(worker);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  await heartbeat();
  const beating = setInterval(() => void heartbeat(), HEARTBEAT_MS);

  return {
    id,
    queues: names,
    close: async () => {
      clearInterval(beating);
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(removals);
      await control.del(WORKER_KEY_PREFIX + id).catch(() => undefined);
      subscriber.disconnect();
      control.disconnect();
    },
  };
}
