import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { RunStatus } from '@sa3/nodes';
import type { RunEvent, RunEventBody, RunOptions, RunPriority, RunReport } from '../executor/index.js';
import type { Workflow } from '../workflow/index.js';
import type { InterruptedRun, JournalEntry, RunJournal, RunOrigin } from './run-journal.js';
import { unexecutedRunReport } from './unexecuted-report.js';

export interface RunRecord {
  readonly id: string;
  readonly workflow: Workflow;
  readonly outDir: string;
  readonly createdAt: string;
  status: RunStatus;
  startedAt?: string;
  finishedAt?: string;
  report?: RunReport;
  /** Every event of the run, in order; SSE clients resume from their last seq. */
  readonly events: RunEvent[];
  readonly controller: AbortController;
  readonly done: Promise<RunRecord>;
  /** The API the run was asked through, with what it needs to answer it after a restart. */
  readonly origin?: RunOrigin;
  /** Interactive runs (the editor's, the default) take a free slot or worker before batch ones (API predictions). */
  readonly priority?: RunPriority;
  /** False for runs whose node outputs nobody plays (predictions): a worker hands back no previews of them. */
  readonly nodePreviews?: false;
  /**
   * On a run this server adopted from an earlier one: the events up to this seq were told (or
   * happened) before it took over, so what reports them once (a webhook) starts after it.
   */
  resumedAfterSeq?: number;
}

/** What a run is started with. */
export interface BackendRunOptions extends RunOptions {
  /**
   * Resolves once the run's journal entry is written. The queue backend puts the run's job on the
   * queue only then, so a server killed in between never leaves a job nobody follows; it prepares
   * the job meanwhile.
   */
  readonly handOverAfter?: Promise<void>;
}

/** What runs workflows: the in-process executor, or the queue backend, which can also follow a run an earlier server put on the queue. */
export interface RunBackend {
  run(workflow: Workflow, options: BackendRunOptions): Promise<RunReport>;
  adopt?(workflow: Workflow, options: RunOptions & { readonly runId: string; readonly onCaughtUp?: () => void }): Promise<RunReport>;
  /** Lets go of the runs in hand, which then end in an error while they go on elsewhere. */
  detach?(): void;
  /** Keeps a run that ended where a restarted server finds it (Redis), for `seconds`. */
  keep?(kind: string, id: string, text: string, seconds: number): Promise<void>;
  kept?(kind: string): Promise<string[]>;
  unkeep?(kind: string, id: string): Promise<void>;
}

/** What is kept of a run that ended, so a restarted server still answers it. */
interface EndedRun {
  readonly id: string;
  readonly workflow: Workflow;
  readonly workflowName?: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly status: RunStatus;
  readonly report?: RunReport;
  readonly events: readonly RunEvent[];
  readonly origin?: RunOrigin;
}

/** How long an ended run stays answerable across restarts (as long as a failed job stays in Redis). */
const KEEP_ENDED_SECONDS = 24 * 3600;

/** How long a starting server waits for an adopted run's stored events before it listens anyway (they keep coming after). */
const CATCH_UP_MS = 5000;

export class AtCapacityError extends Error {
  constructor(
    readonly depth: number,
    asked = 1,
  ) {
    super(
      asked > 1
        ? `the server queues at most ${depth} runs at once and ${asked} more do not fit now; ask for fewer or try again when some finish`
        : `the server is at capacity: ${depth} runs are already queued or running; try again when one finishes`,
    );
    this.name = 'AtCapacityError';
  }
}

/** Thrown by submit once the server is shutting down. */
/** A run was asked for under an id another run of this server already has. */
export class RunIdTakenError extends Error {
  constructor(readonly id: string) {
    super(`the id "${id}" belongs to another run on this server; choose a new id`);
    this.name = 'RunIdTakenError';
  }
}

export class ShuttingDownError extends Error {
  constructor() {
    super('the server is shutting down and takes no new runs; submit again once it has restarted');
    this.name = 'ShuttingDownError';
  }
}

type Listener = (event: RunEvent) => void;

export interface RunManagerOptions {
  /** Runs executed at once (default 1). */
  readonly concurrency?: number;
  /** Records the runs in hand on disk, so a server started after this one was killed reports them as interrupted. */
  readonly journal?: RunJournal;
  /**
   * Called once a run that started has ended (the run store keeps it). Not waited for: the run is
   * over for its clients at once; whoever needs the result waits on what onEnded started.
   */
  readonly onEnded?: (run: RunRecord, workflowName?: string) => Promise<void>;
}

/**
 * Accepts workflow runs up to a queue depth (running + waiting) and runs them one after
 * another on the executor, keeping their events for late and reconnecting listeners. Runs a
 * killed server left unfinished are restored as interrupted.
 */
export class RunManager {
  private readonly runs = new Map<string, RunRecord>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly waiting: { readonly wake: () => void; readonly priority: RunPriority }[] = [];
  private active = 0;
  private accepting = true;
  /** The last creation time handed out (ms): each run's is later than the one before, so newest-first lists are strict. */
  private lastCreated = 0;
  private readonly concurrency: number;
  private readonly journal: RunJournal | undefined;
  private readonly onEnded: RunManagerOptions['onEnded'];
  /** Each run's whole course (execution, then journal and hand-over): what settled() waits for. */
  private readonly courses = new Set<Promise<void>>();
  private detaching = false;
  /** Ended runs are kept per output folder: another server on the same Redis writes elsewhere. */
  private readonly keptKind: string;
  /** The journal write of each run's acceptance, which a run on the queue waits for before its job is put there. */
  private readonly accepted = new WeakMap<RunRecord, Promise<void>>();

  constructor(
    /** The in-process executor, or anything that runs a workflow the same way (the queue backend). */
    private readonly executor: RunBackend,
    private readonly outputRoot: string,
    readonly queueDepth: number,
    options: RunManagerOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 1;
    this.keptKind = `run:${createHash('sha256').update(outputRoot).digest('hex').slice(0, 16)}`;
    this.journal = options.journal;
    this.onEnded = options.onEnded;
  }

  get pending(): number {
    let n = 0;
    for (const run of this.runs.values()) if (run.status === 'queued' || run.status === 'running') n++;
    return n;
  }

  get(id: string): RunRecord | undefined {
    return this.runs.get(id);
  }

  /** Every run this server knows, the newest first. */
  list(): RunRecord[] {
    return [...this.runs.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /**
   * Adds the runs a server that is gone left unfinished, as interrupted: with the reason in their
   * report's error and one final run-error event, so the API and SSE say what happened.
   */
  restore(interrupted: readonly InterruptedRun[]): void {
    for (const { entry, report } of interrupted) {
      if (this.runs.has(entry.id)) continue;
      let resolveDone!: (run: RunRecord) => void;
      const record: RunRecord = {
        id: entry.id,
        workflow: entry.workflow,
        outDir: join(this.outputRoot, entry.id),
        createdAt: entry.createdAt,
        status: 'interrupted',
        ...(entry.startedAt ? { startedAt: entry.startedAt } : {}),
        finishedAt: report.finishedAt!,
        report,
        events: [{ runId: entry.id, seq: 1, time: report.finishedAt!, type: 'run-error', report }],
        controller: new AbortController(),
        done: new Promise((resolve) => (resolveDone = resolve)),
      };
      resolveDone(record);
      this.runs.set(entry.id, record);
    }
  }

  /**
   * Adds the runs that ended on an earlier server (sa3 serve --redis keeps them in Redis for a
   * day) as they ended: status, report, every event, origin.
   */
  async restoreEnded(): Promise<RunRecord[]> {
    const restored: RunRecord[] = [];
    for (const text of (await this.executor.kept?.(this.keptKind)) ?? []) {
      let ended: EndedRun;
      try {
        ended = JSON.parse(text) as EndedRun;
      } catch {
        continue;
      }
      const events: unknown = ended?.events;
      if (typeof ended?.id !== 'string' || this.runs.has(ended.id) || !Array.isArray(events)) continue;
      let resolveDone!: (run: RunRecord) => void;
      const record: RunRecord = {
        id: ended.id,
        workflow: ended.workflow,
        outDir: join(this.outputRoot, ended.id),
        createdAt: ended.createdAt,
        status: ended.status,
        ...(ended.startedAt ? { startedAt: ended.startedAt } : {}),
        ...(ended.finishedAt ? { finishedAt: ended.finishedAt } : {}),
        ...(ended.report ? { report: ended.report } : {}),
        events: (events as RunEvent[]).slice(),
        controller: new AbortController(),
        done: new Promise((resolve) => (resolveDone = resolve)),
        ...(ended.origin ? { origin: ended.origin } : {}),
      };
      resolveDone(record);
      this.runs.set(record.id, record);
      restored.push(record);
    }
    return restored;
  }

  /** A run deleted from the history is not brought back by a later start. */
  async forgetEnded(id: string): Promise<void> {
    await this.executor.unkeep?.(this.keptKind, id).catch(() => undefined);
  }

  /** From now on submit refuses (the server is shutting down). */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Resolves once every run accepted so far has ended or been left to its job, and what the journal was asked to write is written. */
  async settled(): Promise<void> {
    await Promise.all([...this.courses]);
    await this.journal?.flush();
  }

  /**
   * The server stops but its runs go on as jobs (sa3 serve --redis): nothing is cancelled from
   * now on, and runs whose backend lets go of them end nowhere: no final event, no history
   * entry, their journal entries stay for the next server to adopt.
   */
  detachAll(): void {
    this.accepting = false;
    this.detaching = true;
    this.executor.detach?.();
  }

  /**
   * Follows the runs an earlier server left on the queue, under their ids, as they were
   * (created, started, origin); resolves once each has its stored events back (or after
   * CATCH_UP_MS), so clients resuming with Last-Event-ID find them.
   */
  async adopt(entries: readonly JournalEntry[]): Promise<RunRecord[]> {
    const adopt = this.executor.adopt?.bind(this.executor);
    if (!adopt) return [];
    const adopted: RunRecord[] = [];
    const caughtUp: Promise<void>[] = [];
    for (const entry of entries) {
      if (this.runs.has(entry.id)) continue;
      let resolveDone!: (run: RunRecord) => void;
      const record: RunRecord = {
        id: entry.id,
        workflow: entry.workflow,
        outDir: join(this.outputRoot, entry.id),
        createdAt: entry.createdAt,
        status: 'running',
        startedAt: entry.startedAt ?? entry.createdAt,
        events: [],
        controller: new AbortController(),
        done: new Promise((resolve) => (resolveDone = resolve)),
        ...(entry.origin ? { origin: entry.origin } : {}),
      };
      if (Date.parse(record.createdAt) > this.lastCreated) this.lastCreated = Date.parse(record.createdAt);
      this.runs.set(entry.id, record);
      this.active++;
      void this.journal?.record(this.journalEntry(record, 'running', entry.workflowName));
      caughtUp.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, CATCH_UP_MS);
          const onCaughtUp = (): void => {
            clearTimeout(timer);
            record.resumedAfterSeq ??= record.events.length;
            resolve();
          };
          this.follow(
            record,
            entry.workflowName,
            (options) => adopt(record.workflow, { ...options, runId: record.id, onCaughtUp }),
            resolveDone,
            () => {
              clearTimeout(timer);
              resolve();
            },
          );
        }),
      );
      adopted.push(record);
    }
    await Promise.all(caughtUp);
    // One whose events are not back yet (Redis away): what reports once starts from what is known now.
    for (const record of adopted) record.resumedAfterSeq ??= record.events.length;
    return adopted;
  }

  /** Queues runs in order, all or none: AtCapacityError when they do not all fit in the queue. */
  submitMany(workflows: readonly Workflow[], options: { workflowName?: string; priority?: RunPriority } = {}): RunRecord[] {
    if (!this.accepting) throw new ShuttingDownError();
    if (this.pending + workflows.length > this.queueDepth) throw new AtCapacityError(this.queueDepth, workflows.length);
    return workflows.map((workflow) => this.submit(workflow, options));
  }

  /** Starts (or queues) a run; throws AtCapacityError when the queue is full, ShuttingDownError once the server is stopping. */
  submit(
    workflow: Workflow,
    options: { id?: string; workflowName?: string; origin?: RunOrigin; priority?: RunPriority; nodePreviews?: false } = {},
  ): RunRecord {
    if (!this.accepting) throw new ShuttingDownError();
    if (this.pending >= this.queueDepth) throw new AtCapacityError(this.queueDepth);
    if (options.id !== undefined && this.runs.has(options.id)) throw new RunIdTakenError(options.id);
    const id = options.id ?? `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const controller = new AbortController();
    let resolveDone!: (run: RunRecord) => void;
    const record: RunRecord = {
      id,
      workflow,
      outDir: join(this.outputRoot, id),
      createdAt: new Date((this.lastCreated = Math.max(Date.now(), this.lastCreated + 1))).toISOString(),
      status: 'queued',
      events: [],
      controller,
      done: new Promise((resolve) => (resolveDone = resolve)),
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.priority ? { priority: options.priority } : {}),
      ...(options.nodePreviews === false ? { nodePreviews: false as const } : {}),
    };
    this.runs.set(id, record);
    const accepted = this.journal?.record(this.journalEntry(record, 'queued', options.workflowName));
    if (accepted) this.accepted.set(record, accepted);
    this.follow(record, options.workflowName, (runOptions) => this.executor.run(workflow, runOptions), resolveDone);
    return record;
  }

  cancel(id: string): RunRecord | undefined {
    const run = this.runs.get(id);
    if (run && !this.detaching && (run.status === 'queued' || run.status === 'running')) run.controller.abort();
    return run;
  }

  cancelAll(): void {
    for (const id of this.runs.keys()) this.cancel(id);
  }

  /** Calls `listener` for every event after `afterSeq`, then for new ones until it unsubscribes. */
  subscribe(id: string, afterSeq: number, listener: Listener): () => void {
    const run = this.runs.get(id)!;
    for (const event of run.events) if (event.seq > afterSeq) listener(event);
    const set = this.listeners.get(id) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(id, set);
    return () => set.delete(listener);
  }

  private async slot(signal: AbortSignal, priority: RunPriority): Promise<boolean> {
    if (this.active < this.concurrency) {
      this.active++;
      return true;
    }
    await new Promise<void>((resolve) => {
      const waiter = { wake: (): void => resolve(), priority };
      // Behind every waiting run of its priority, ahead of every batch run when it is interactive.
      const before = priority === 'interactive' ? this.waiting.findIndex((w) => w.priority === 'batch') : -1;
      this.waiting.splice(before >= 0 ? before : this.waiting.length, 0, waiter);
      signal.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
          resolve();
        },
        { once: true },
      );
    });
    if (signal.aborted) return false;
    this.active++;
    return true;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.wake();
  }

  private publish(record: RunRecord, body: RunEventBody): void {
    this.deliver(record, { runId: record.id, seq: record.events.length + 1, time: new Date().toISOString(), ...body });
  }

  private deliver(record: RunRecord, event: RunEvent): void {
    record.events.push(event);
    for (const listener of this.listeners.get(record.id) ?? []) listener(event);
  }

  private journalEntry(record: RunRecord, status: 'queued' | 'running', workflowName?: string): Omit<JournalEntry, 'format' | 'version' | 'pid' | 'instance'> {
    return {
      id: record.id,
      status,
      createdAt: record.createdAt,
      ...(record.startedAt ? { startedAt: record.startedAt } : {}),
      workflow: record.workflow,
      ...(workflowName ? { workflowName } : {}),
      ...(this.executor.adopt ? { onQueue: true } : {}),
      ...(record.origin ? { origin: record.origin } : {}),
    };
  }

  /** Runs the record's course: execution, then (unless the run was left to its job) journal, hand-over and done. */
  private follow(
    record: RunRecord,
    workflowName: string | undefined,
    start: (options: BackendRunOptions) => Promise<RunReport>,
    resolveDone: (run: RunRecord) => void,
    onEnd?: () => void,
  ): void {
    const course = (record.startedAt ? this.executeStarted(record, workflowName, start) : this.execute(record, workflowName, start))
      .then(async (ended) => {
        onEnd?.();
        if (!ended) return;
        await this.afterRun(record, workflowName);
        resolveDone(record);
      })
      .finally(() => this.courses.delete(course));
    this.courses.add(course);
  }

  /** False when the run was left to its job (the server stops with --redis): it has not ended. */
  private async execute(record: RunRecord, workflowName: string | undefined, start: (options: BackendRunOptions) => Promise<RunReport>): Promise<boolean> {
    const signal = record.controller.signal;
    if (!(await this.slot(signal, record.priority ?? 'interactive'))) {
      // Cancelled while waiting: the executor never saw it, so say it here.
      record.status = 'cancelled';
      record.report = unexecutedRunReport(record, 'cancelled');
      record.finishedAt = record.report.finishedAt;
      this.publish(record, { type: 'run-cancelled', report: record.report });
      return true;
    }
    // On the queue a run is running once a worker has taken it (its run-start event), not when it joins the queue, and the
    // entry written when it was accepted is all a restarted server needs to follow its job: it is not written again.
    if (this.executor.adopt) return this.executeStarted(record, workflowName, start, this.accepted.get(record));
    record.status = 'running';
    record.startedAt = new Date().toISOString();
    void this.journal?.record(this.journalEntry(record, 'running', workflowName));
    return this.executeStarted(record, workflowName, start);
  }

  /** A run holding a slot, from its start (or its adoption) to its end. */
  private async executeStarted(
    record: RunRecord,
    workflowName: string | undefined,
    start: (options: BackendRunOptions) => Promise<RunReport>,
    handOverAfter?: Promise<void>,
  ): Promise<boolean> {
    const signal = record.controller.signal;
    try {
      const made = mkdir(record.outDir, { recursive: true });
      if (handOverAfter) {
        // Handed to the queue backend at once, so in the order runs were accepted; its job waits for the folder as for the journal.
        handOverAfter = Promise.all([handOverAfter, made]).then(() => undefined);
        handOverAfter.catch(() => undefined); // the backend reports a failure
      } else await made;
      const report = await start({
        outDir: record.outDir,
        signal,
        runId: record.id,
        ...(record.priority ? { priority: record.priority } : {}),
        ...(record.nodePreviews === false ? { nodePreviews: false } : {}),
        ...(workflowName ? { workflowName } : {}),
        ...(handOverAfter ? { handOverAfter } : {}),
        onEvent: (event) => {
          if (event.type === 'run-start' && record.status === 'queued') {
            record.status = 'running';
            record.startedAt = event.time;
          }
          this.deliver(record, event);
        },
      });
      record.report = report;
      record.status = report.status === 'succeeded' ? 'succeeded' : report.status === 'cancelled' ? 'cancelled' : 'failed';
    } catch (error) {
      if (this.detaching) {
        this.release();
        return false;
      }
      const status = signal.aborted ? 'cancelled' : 'failed';
      const message = error instanceof Error ? error.message : String(error);
      record.status = status;
      record.report = unexecutedRunReport(record, status, { code: 'run_failed', message, kind: 'run' });
      this.publish(record, { type: 'run-error', report: record.report });
    }
    record.finishedAt = new Date().toISOString();
    this.release();
    return true;
  }

  /** The run is over: its journal entry goes, and a run that started is handed on (to the run store) before its done promise resolves. */
  private async afterRun(record: RunRecord, workflowName?: string): Promise<void> {
    // Kept before the journal forgets it, so there is no moment a restarted server would know of it from neither.
    if (this.executor.keep) {
      const ended: EndedRun = {
        id: record.id,
        workflow: record.workflow,
        ...(workflowName ? { workflowName } : {}),
        createdAt: record.createdAt,
        ...(record.startedAt ? { startedAt: record.startedAt } : {}),
        ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
        status: record.status,
        ...(record.report ? { report: record.report } : {}),
        events: record.events,
        ...(record.origin ? { origin: record.origin } : {}),
      };
      await this.executor.keep(this.keptKind, record.id, JSON.stringify(ended), KEEP_ENDED_SECONDS).catch(() => undefined);
    }
    await this.journal?.forget(record.id);
    if (record.startedAt) void this.onEnded?.(record, workflowName).catch(() => undefined);
  }
}
