import type { NodeServices } from '@sa3/nodes';
import { builtinNodes, serializeWorkflow, validateWorkflow, WorkflowInvalidError, type NodeLookup, type Workflow } from '../workflow/index.js';
import { RunStop } from './cancellation.js';
import { DeviceQueues } from './device-queue.js';
import type { DiskResultStore } from './disk-result-store.js';
import type { RunEvent } from './events.js';
import { FileNaming } from './file-naming.js';
import { finishRun } from './finish-run.js';
import { NodeCache } from './node-cache.js';
import { NodeLedger } from './node-ledger.js';
import { NodeRunner } from './node-runner.js';
import { OutputWriter } from './output-writer.js';
import { planRun } from './plan.js';
import type { RunReport } from './report.js';
import { ResultCache } from './result-cache.js';
import { RunEmitter } from './run-events.js';
import { newRunId, startReport } from './run-report.js';
import { resolveSeeds } from './seeds.js';

export type EmbedWorkflow = (bytes: Uint8Array, extension: string, workflowJson: string) => Uint8Array;

export interface ExecutorOptions {
  readonly services: NodeServices;
  readonly nodes?: NodeLookup;
  /** Shared across runs: a re-run only executes what changed. */
  readonly cache?: ResultCache;
  /** Keeps model nodes' audio between processes (the CLI's cache in SA3_HOME). */
  readonly store?: DiskResultStore;
  readonly queues?: DeviceQueues;
  /** Puts the workflow into saved files so they can be dropped back into the editor. */
  readonly embedWorkflow?: EmbedWorkflow;
}

/** Where a queue puts a run: interactive ones (the editor's) go before batch ones (API predictions). */
export type RunPriority = 'interactive' | 'batch';

export interface RunOptions {
  readonly outDir: string;
  /** Ordering among runs waiting for a slot or a worker; the executor itself runs what it is given. Default interactive. */
  readonly priority?: RunPriority;
  /** Run elsewhere (a worker): whether each node output's preview comes back for the editor's players. Default true; predictions need none. */
  readonly nodePreviews?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  readonly runId?: string;
  /** Used for {workflow} in file names when the workflow has no name. */
  readonly workflowName?: string;
  /** Draws the seeds that replace -1 (tests pin it). */
  readonly drawSeed?: () => number;
}

/** validate -> resolve seeds -> plan -> run, with caching, events, cancellation and atomic outputs. */
export class Executor {
  readonly nodes: NodeLookup;
  readonly cache: ResultCache;
  private readonly queues: DeviceQueues;
  private readonly nodeCache: NodeCache;

  constructor(private readonly options: ExecutorOptions) {
    this.nodes = options.nodes ?? builtinNodes;
    this.cache = options.cache ?? new ResultCache();
    this.queues = options.queues ?? new DeviceQueues();
    this.nodeCache = new NodeCache(this.cache, options.store);
  }

  /** Runs a workflow to the end. Throws only for an invalid workflow; failures are in the report. */
  async run(input: Workflow, options: RunOptions): Promise<RunReport> {
    const problems = validateWorkflow(input, this.nodes);
    if (problems.length > 0) throw new WorkflowInvalidError(problems);
    const startedAt = new Date();
    const runId = options.runId ?? newRunId(startedAt);
    const { workflow, seeds } = resolveSeeds(input, this.nodes, options.drawSeed);
    const workflowJson = serializeWorkflow(workflow, this.nodes);
    const plan = await planRun(workflow, this.nodes, this.options.services);
    const report = startReport({ runId, startedAt, workflow, workflowJson, seeds, nodes: plan.nodes });
    const emitter = new RunEmitter(runId, options.onEvent);
    emitter.emit({ type: 'run-start', order: plan.order, seeds });

    const stop = new RunStop(options.signal);
    const naming = new FileNaming({ workflowName: workflow.name ?? options.workflowName ?? 'workflow', runId, startedAt, seeds, nodes: plan.nodes });
    const embed = this.options.embedWorkflow;
    const outputs = new OutputWriter(options.outDir, runId, naming, embed && ((bytes, extension) => embed(bytes, extension, workflowJson)));
    const ledger = new NodeLedger(report, emitter);
    await new NodeRunner({ services: this.options.services, queues: this.queues, stop, emitter, cache: this.nodeCache, outputs, ledger }).runAll(plan.nodes);
    stop.release();

    return finishRun({ report, startedAt, outDir: options.outDir, failure: ledger.firstFailure, cancelled: stop.cancelledByCaller, outputs, emitter });
  }
}
