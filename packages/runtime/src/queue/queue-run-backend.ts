import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { resolveSeeds, type RunEvent, type RunOptions, type RunPriority, type RunReport } from '../executor/index.js';
import { builtinNodes, validateWorkflow, WorkflowInvalidError, type NodeLookup, type Workflow } from '../workflow/index.js';
import type { RunJobData, RunJobResult } from './job-data.js';
import { jobIdOfRun } from './job-id.js';
import { JobFiles } from './job-files.js';
import { CANCEL_CHANNEL, QUEUES_KEY, cancelKey, packOfWorkflow, queueName } from './queue-names.js';
import { QueueMetrics, type QueueDepth } from './queue-metrics.js';
import { QueueUnavailableError } from './queue-unavailable.js';
import { liveWorkerModels, type WorkerModel } from './worker-models.js';
import { ToldEvents } from './told-events.js';
import { JobEventLog, isStoredEvent, type StoredEvent } from './job-events.js';
import { RunDetachedError } from './run-detached.js';
import { connectionOptions, type RedisAddress } from './redis-url.js';

export interface QueueRunBackendOptions {
  readonly redis: RedisAddress;
  readonly nodes?: NodeLookup;
  /** Times a job is tried before it fails for good (a job that breaks every worker does not block the queue). */
  readonly attempts?: number;
  /** The server's upload folder: the uploads a job's workflow reads are handed to its worker from here. */
  readonly uploadDir?: string;
  readonly log?: (line: string) => void;
}

interface PackQueue {
  readonly queue: Queue<RunJobData, RunJobResult>;
  readonly events: QueueEvents;
}

interface WaitingJob {
  readonly queue: Queue<RunJobData, RunJobResult>;
  /** The job's worker stored an event (what its progress says), or may have (undefined: look). */
  progress(told?: StoredEvent): void;
  completed(result: RunJobResult): void;
  failed(reason: string): void;
  /** The server stops: the run is left to its job, for the next server to adopt. */
  detach(): void;
}

/** BullMQ priorities: 1 is taken first. */
const JOB_PRIORITY: Record<RunPriority, number> = { interactive: 1, batch: 10 };

const FINAL_EVENTS = new Set(['run-done', 'run-error', 'run-cancelled']);
/** A job whose events went missing (a reconnect) is still seen to end: its state is looked at this often. */
const POLL_MS = 3000;

/**
 * Runs workflows on `sa3 worker` processes through BullMQ: the same run() as the Executor, so the
 * server's RunManager uses it unchanged. A run becomes a job on its pack's queue with its seeds
 * resolved; the worker's run events come back as job progress, in order; its output files come
 * back through Redis into the run's folder; cancelling publishes the job's id to the workers.
 */
export class QueueRunBackend {
  private readonly nodes: NodeLookup;
  private readonly control: Redis;
  private readonly queues = new Map<string, Promise<PackQueue>>();
  private readonly waiting = new Map<string, WaitingJob>();
  private readonly cancels = new Set<Promise<unknown>>();
  /** Resolves once the job of the last run handed to this backend is on the queue (or failed to get there). */
  private handedOver: Promise<void> = Promise.resolve();
  private lastError = 'the server is still connecting to it';
  private readonly metrics = new QueueMetrics();
  /** The files of jobs, fetched and put by their workers over HTTP (server/job-file-routes.ts). */
  readonly files: JobFiles;

  constructor(private readonly options: QueueRunBackendOptions) {
    this.nodes = options.nodes ?? builtinNodes;
    this.control = new Redis({ ...connectionOptions(options.redis), maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.control.on('error', (error: Error) => (this.lastError = error.message));
    this.control.on('ready', () => (this.lastError = ''));
    this.control.on('close', () => (this.lastError ||= 'its connection closed'));
    this.files = new JobFiles(this.control, options.uploadDir);
  }

  /** Resolves once Redis answers, or after `ms` (the server starts anyway and says why in its health). */
  async connected(ms: number): Promise<void> {
    if (this.reachable) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => this.control.once('ready', resolve)), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  get reachable(): boolean {
    return this.control.status === 'ready';
  }

  /** Why new work is refused now, in one sentence; null while Redis answers. */
  unavailableSentence(): string | null {
    if (this.reachable) return null;
    const why = this.lastError ? ` (${this.lastError})` : '';
    return `Redis at ${this.options.redis.display} cannot be reached${why}; predictions and runs are refused until it answers again`;
  }

  /**
   * Jobs go on the queue in the order their runs were handed to run() (first come, first served
   * within a priority), each once its `handOverAfter` resolves (the server's journal names the run);
   * they are prepared meanwhile.
   */
  async run(input: Workflow, options: RunOptions & { readonly handOverAfter?: Promise<void> }): Promise<RunReport> {
    const problems = validateWorkflow(input, this.nodes);
    if (problems.length > 0) throw new WorkflowInvalidError(problems);
    const unavailable = this.unavailableSentence();
    if (unavailable) throw new QueueUnavailableError(unavailable);
    const runId = options.runId ?? jobIdOfRun(String(Date.now()));
    const { workflow } = resolveSeeds(input, this.nodes, options.drawSeed);
    const data: RunJobData = {
      runId,
      workflow,
      ...(options.workflowName ? { workflowName: options.workflowName } : {}),
      ...(options.nodePreviews === false ? { nodePreviews: false as const } : {}),
    };
    const before = this.handedOver;
    let handOver!: () => void;
    this.handedOver = new Promise<void>((resolve) => (handOver = resolve));
    try {
      return await this.follow(workflow, runId, options, async (queue, jobId) => {
        try {
          // Sent together: the two commands share one round trip to Redis.
          const [, files] = await Promise.all([this.control.sadd(QUEUES_KEY, queue.name), this.files.open(jobId, options.outDir, workflow)]);
          await options.handOverAfter;
          await before;
          await queue.add('run', files ? { ...data, files } : data, {
            jobId,
            // Every job has a priority (BullMQ takes unprioritized jobs first of all), interactive ones the higher.
            priority: JOB_PRIORITY[options.priority ?? 'interactive'],
            attempts: this.options.attempts ?? 3,
            backoff: { type: 'fixed', delay: 500 },
            removeOnComplete: { age: 3600 },
            removeOnFail: { age: 24 * 3600 },
          });
        } finally {
          handOver();
        }
      });
    } finally {
      handOver(); // the run ended before its job was prepared
    }
  }

  /**
   * Follows the job of a run an earlier server put on the queue (it was killed or restarted
   * meanwhile), wherever the job is now: waiting, running, or already ended. The events its
   * attempts stored are handed on first, numbered as that server numbered them, then
   * `onCaughtUp` is called, then the run goes on as if the server had never stopped.
   */
  async adopt(workflow: Workflow, options: RunOptions & { readonly runId: string; readonly onCaughtUp?: () => void }): Promise<RunReport> {
    return this.follow(workflow, options.runId, options, async (queue, jobId, log) => {
      const job = await Job.fromId(queue, jobId);
      if (!job) throw new Error(`the run's job is no longer in Redis (${jobId} on ${queue.name}), so its outcome is unknown; run it again`);
      await log.catchUp();
      options.onCaughtUp?.();
      void this.poll(jobId); // it may have ended while no server was listening
    });
  }

  /** Waits for a run's job to end, handing on its events; `start` puts the job on the queue (or finds it there). */
  private async follow(
    workflow: Workflow,
    runId: string,
    options: RunOptions,
    start: (queue: Queue<RunJobData, RunJobResult>, jobId: string, log: JobEventLog) => Promise<void>,
  ): Promise<RunReport> {
    const pack = packOfWorkflow(workflow);
    const { queue } = await this.queueOf(pack);
    const jobId = jobIdOfRun(runId);
    const told = new ToldEvents();
    let finalEvent: RunEvent | null = null;
    const log = new JobEventLog(this.control, jobId, (event) => {
      const fresh = told.fresh(event);
      if (!fresh) return;
      if (FINAL_EVENTS.has(event.type)) finalEvent = fresh;
      else options.onEvent?.(fresh);
    });
    const outcome = new Promise<RunJobResult>((resolve, reject) => {
      // The end is taken only once every event stored before it has been handed on.
      this.waiting.set(jobId, {
        queue,
        progress: (told) => void (isStoredEvent(told) ? log.offer(told) : log.catchUp()),
        completed: (result) => void log.catchUp().then(() => resolve(result)),
        failed: (reason) => void log.catchUp().then(() => reject(new Error(reason))),
        detach: () => reject(new RunDetachedError()),
      });
    });
    const poll = setInterval(() => void this.poll(jobId), POLL_MS);
    const queuedAt = performance.now();
    let end: 'succeeded' | 'failed' | 'cancelled' | null = 'failed';
    const onAbort = (): void => void this.track(this.cancel(jobId));
    try {
      await start(queue, jobId, log);
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      const result = await outcome;
      const report = await this.files.receive(jobId, result, options.outDir, options.nodePreviews !== false);
      // The server has the outcome: the list goes, without the run waiting for it (else it expires with its day).
      void log.remove();
      const last: RunEvent = finalEvent ?? {
        runId,
        seq: told.count + 1,
        time: new Date().toISOString(),
        type: report.status === 'succeeded' ? 'run-done' : report.status === 'cancelled' ? 'run-cancelled' : 'run-error',
        report,
      };
      options.onEvent?.({ ...last, report } as RunEvent);
      end = report.status === 'succeeded' ? 'succeeded' : report.status === 'cancelled' ? 'cancelled' : 'failed';
      return report;
    } catch (error) {
      if (error instanceof RunDetachedError) end = null;
      else if (options.signal?.aborted) end = 'cancelled';
      // A run left to its job (the server stops) keeps its token for the next server; any other end withdraws it.
      if (end) await this.files.close(jobId, options.outDir);
      throw error;
    } finally {
      if (end) this.metrics.record(queueName(pack), end, (performance.now() - queuedAt) / 1000);
      clearInterval(poll);
      options.signal?.removeEventListener('abort', onAbort);
      this.waiting.delete(jobId);
    }
  }

  /**
   * A value every server on this Redis shares: the first to ask stores `fresh`, later ones (a
   * restarted server) get what it stored. `fresh` while Redis does not answer.
   */
  async shared(name: string, fresh: string): Promise<string> {
    const key = `sa3:shared:${name}`;
    try {
      await this.control.set(key, fresh, 'NX');
      return (await this.control.get(key)) ?? fresh;
    } catch {
      return fresh;
    }
  }

  /** Keeps a JSON text in Redis for `seconds` under its kind and id (what a restarted server reads back with kept). */
  async keep(kind: string, id: string, text: string, seconds: number): Promise<void> {
    await this.control.set(`sa3:kept:${kind}:${id}`, text, 'EX', seconds);
  }

  async unkeep(kind: string, id: string): Promise<void> {
    await this.control.del(`sa3:kept:${kind}:${id}`);
  }

  /** Every JSON text kept of a kind and not yet expired; none while Redis does not answer. */
  async kept(kind: string): Promise<string[]> {
    const texts: string[] = [];
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.control.scan(cursor, 'MATCH', `sa3:kept:${kind}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) for (const text of await this.control.mget(...keys)) if (text !== null) texts.push(text);
      } while (cursor !== '0');
    } catch {
      // Redis does not answer: what was read so far.
    }
    return texts;
  }

  /** GET /api/models with --redis: the packs the live workers have. */
  workerModels(): Promise<WorkerModel[]> {
    return liveWorkerModels(this.control);
  }

  /** GET /metrics: Prometheus text over the queues work was ever put on. */
  async metricsText(): Promise<string> {
    const depths: QueueDepth[] = [];
    if (this.reachable) {
      for (const name of (await this.control.smembers(QUEUES_KEY).catch(() => [] as string[])).sort()) {
        const queue = new Queue(name, { connection: this.control });
        const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed').catch(() => null);
        await queue.close();
        if (counts) depths.push({ name, counts });
      }
    }
    return this.metrics.text(this.reachable, depths);
  }

  /**
   * Lets go of every run still waiting for its job (the server stops): each ends in
   * RunDetachedError at once, so none ends during the shutdown with no server left to tell.
   */
  detach(): void {
    for (const job of this.waiting.values()) job.detach();
  }

  /** Stops waiting for jobs (they stay in Redis, and their runs end in RunDetachedError) and closes the connections. */
  async close(): Promise<void> {
    await Promise.all(this.cancels);
    this.detach();
    for (const pending of this.queues.values()) {
      const { queue, events } = await pending.catch(() => ({ queue: null, events: null }));
      await events?.close().catch(() => undefined);
      await queue?.close().catch(() => undefined);
    }
    this.control.disconnect();
  }

  private track(promise: Promise<unknown>): void {
    const settled = promise.catch(() => undefined).finally(() => this.cancels.delete(settled));
    this.cancels.add(settled);
  }

  /** A job still waiting is removed (its run ends cancelled at once); one running is told to stop between steps. */
  private async cancel(jobId: string): Promise<void> {
    await this.control.set(cancelKey(jobId), '1', 'EX', 3600);
    await this.control.publish(CANCEL_CHANNEL, jobId);
    const waiting = this.waiting.get(jobId);
    if (!waiting) return;
    const job = await Job.fromId(waiting.queue, jobId);
    if (!job || !['waiting', 'delayed', 'prioritized'].includes(await job.getState())) return;
    const removed = await job
      .remove()
      .then(() => true)
      .catch(() => false); // a worker took it meanwhile: the published id reaches it
    if (removed) waiting.failed('the run was cancelled before a worker took it');
  }

  private async poll(jobId: string): Promise<void> {
    const waiting = this.waiting.get(jobId);
    if (!waiting || !this.reachable) return;
    waiting.progress(); // a progress signal missed during a reconnect still has its events read
    // State first: a job read before it finished has no return value even if it completes a moment later.
    const state = await waiting.queue.getJobState(jobId).catch(() => 'unknown');
    if (state !== 'completed' && state !== 'failed') return;
    const job = await Job.fromId(waiting.queue, jobId).catch(() => undefined);
    if (!job) return;
    if (state === 'completed') waiting.completed(job.returnvalue as RunJobResult);
    else waiting.failed(job.failedReason);
  }

  private queueOf(pack: string): Promise<PackQueue> {
    let pending = this.queues.get(pack);
    if (!pending) {
      pending = this.openQueue(queueName(pack));
      this.queues.set(pack, pending);
      pending.catch(() => this.queues.delete(pack));
    }
    return pending;
  }

  private async openQueue(name: string): Promise<PackQueue> {
    const connection = connectionOptions(this.options.redis);
    const queue = new Queue<RunJobData, RunJobResult>(name, { connection });
    const events = new QueueEvents(name, { connection });
    queue.on('error', () => undefined); // reported by the health check, through the control connection
    events.on('error', () => undefined);
    events.on('progress', ({ jobId, data }) => this.waiting.get(jobId)?.progress(data as unknown as StoredEvent));
    events.on('completed', ({ jobId, returnvalue }) => {
      const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as RunJobResult;
      this.waiting.get(jobId)?.completed(result);
    });
    // A failed attempt that will be tried again also says "failed": only the job's final state counts.
    events.on('failed', ({ jobId }) => void this.poll(jobId));
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return { queue, events };
  }
}
