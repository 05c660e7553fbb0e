import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { RunStatus } from '@sa3/nodes';
import type { Executor, RunEvent, RunEventBody, RunReport } from '../executor/index.js';
import type { Workflow } from '../workflow/index.js';
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
}

export class AtCapacityError extends Error {
  constructor(readonly depth: number) {
    super(`the server is at capacity: ${depth} runs are already queued or running; try again when one finishes`);
    this.name = 'AtCapacityError';
  }
}

type Listener = (event: RunEvent) => void;

/**
 * Accepts workflow runs up to a queue depth (running + waiting) and runs them one after
 * another on the executor, keeping their events for late and reconnecting listeners.
 */
export class RunManager {
  private readonly runs = new Map<string, RunRecord>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(
    private readonly executor: Executor,
    private readonly outputRoot: string,
    readonly queueDepth: number,
    private readonly concurrency = 1,
  ) {}

  get pending(): number {
    let n = 0;
    for (const run of this.runs.values()) if (run.status === 'queued' || run.status === 'running') n++;
    return n;
  }

  get(id: string): RunRecord | undefined {
    return this.runs.get(id);
  }

  /** Starts (or queues) a run; throws AtCapacityError when the queue is full. */
  submit(workflow: Workflow, options: { id?: string; workflowName?: string } = {}): RunRecord {
    if (this.pending >= this.queueDepth) throw new AtCapacityError(this.queueDepth);
    const id = options.id ?? `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const controller = new AbortController();
    let resolveDone!: (run: RunRecord) => void;
    const record: RunRecord = {
      id,
      workflow,
      outDir: join(this.outputRoot, id),
      createdAt: new Date().toISOString(),
      status: 'queued',
      events: [],
      controller,
      done: new Promise((resolve) => (resolveDone = resolve)),
    };
    this.runs.set(id, record);
    void this.execute(record, options.workflowName).then(() => resolveDone(record));
    return record;
  }

  cancel(id: string): RunRecord | undefined {
    const run = this.runs.get(id);
    if (run && (run.status === 'queued' || run.status === 'running')) run.controller.abort();
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

  private async slot(signal: AbortSignal): Promise<boolean> {
    if (this.active < this.concurrency) {
      this.active++;
      return true;
    }
    await new Promise<void>((resolve) => {
      const wake = (): void => resolve();
      this.waiting.push(wake);
      signal.addEventListener(
        'abort',
        () => {
          const i = this.waiting.indexOf(wake);
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
    this.waiting.shift()?.();
  }

  private publish(record: RunRecord, body: RunEventBody): void {
    this.deliver(record, { runId: record.id, seq: record.events.length + 1, time: new Date().toISOString(), ...body });
  }

  private deliver(record: RunRecord, event: RunEvent): void {
    record.events.push(event);
    for (const listener of this.listeners.get(record.id) ?? []) listener(event);
  }

  private async execute(record: RunRecord, workflowName?: string): Promise<void> {
    const signal = record.controller.signal;
    if (!(await this.slot(signal))) {
      // Cancelled while waiting: the executor never saw it, so say it here.
      record.status = 'cancelled';
      record.report = unexecutedRunReport(record, 'cancelled');
      record.finishedAt = record.report.finishedAt;
      this.publish(record, { type: 'run-cancelled', report: record.report });
      return;
    }
    record.status = 'running';
    record.startedAt = new Date().toISOString();
    try {
      await mkdir(record.outDir, { recursive: true });
      const report = await this.executor.run(record.workflow, {
        outDir: record.outDir,
        signal,
        runId: record.id,
        ...(workflowName ? { workflowName } : {}),
        onEvent: (event) => this.deliver(record, event),
      });
      record.report = report;
      record.status = report.status === 'succeeded' ? 'succeeded' : report.status === 'cancelled' ? 'cancelled' : 'failed';
    } catch (error) {
      const status = signal.aborted ? 'cancelled' : 'failed';
      const message = error instanceof Error ? error.message : String(error);
      record.status = status;
      record.report = unexecutedRunReport(record, status, { code: 'run_failed', message, kind: 'run' });
      this.publish(record, { type: 'run-error', report: record.report });
    } finally {
      record.finishedAt = new Date().toISOString();
      this.release();
    }
  }
}
