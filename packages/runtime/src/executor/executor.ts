import { randomBytes } from 'node:crypto';
import { cancelledError, NodeError, type EmittedFile, type NodeServices } from '@sa3/nodes';
import {
  builtinNodes,
  expandFilename,
  resolveParams,
  serializeWorkflow,
  topologicalOrder,
  validateWorkflow,
  WorkflowInvalidError,
  type NodeLookup,
  type Workflow,
} from '../workflow/index.js';
import { computeCacheKeys, type PlannedNode } from './cache-keys.js';
import { DeviceQueues } from './device-queue.js';
import type { RunEvent, RunEventBody } from './events.js';
import { sha256Hex } from '../files/index.js';
import { OutputStaging } from './output-staging.js';
import type { NodeReport, RunErrorReport, RunReport } from './report.js';
import { DiskResultStore } from './disk-result-store.js';
import { ResultCache, type NodeOutputs } from './result-cache.js';
import { resolveSeeds } from './seeds.js';
import { summarizeOutputs } from './summarize.js';

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

export interface RunOptions {
  readonly outDir: string;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  readonly runId?: string;
  /** Used for {workflow} in file names when the workflow has no name. */
  readonly workflowName?: string;
  /** Draws the seeds that replace -1 (tests pin it). */
  readonly drawSeed?: () => number;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Settles with the work, or rejects as soon as the signal aborts: a node that ignores its signal cannot hold a run. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined); // once cancelled, a late failure of the abandoned work is of no interest
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function toErrorReport(node: PlannedNode, error: unknown): RunErrorReport {
  if (error instanceof NodeError) {
    return {
      code: error.code,
      message: error.message,
      node: node.id,
      kind: error.kind,
      ...(error.param ? { param: error.param } : {}),
      ...(error.input ? { input: error.input } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Errors of the engine and the packs (PackError...) carry a code and a finished sentence.
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && error instanceof Error && error.name !== 'Error') return { code, message, node: node.id, kind: 'run' };
  return { code: 'node_failed', message: `${node.definition.type} failed: ${message}`, node: node.id, kind: 'run' };
}

/** validate -> resolve seeds -> plan -> run, with caching, events, cancellation and atomic outputs. */
export class Executor {
  readonly nodes: NodeLookup;
  readonly cache: ResultCache;
  private readonly queues: DeviceQueues;

  constructor(private readonly options: ExecutorOptions) {
    this.nodes = options.nodes ?? builtinNodes;
    this.cache = options.cache ?? new ResultCache();
    this.queues = options.queues ?? new DeviceQueues();
  }

  private async cached(node: PlannedNode): Promise<NodeOutputs | undefined> {
    const inMemory = this.cache.get(node.cacheKey);
    if (inMemory || !this.options.store || !node.definition.usesModel) return inMemory;
    const stored = await this.options.store.read(node.cacheKey);
    if (stored) this.cache.set(node.cacheKey, stored);
    return stored;
  }

  private async remember(node: PlannedNode, outputs: NodeOutputs): Promise<void> {
    this.cache.set(node.cacheKey, outputs);
    // The store only saves work; a full disk must not fail a run that succeeded.
    if (this.options.store && node.definition.usesModel) await this.options.store.write(node.cacheKey, outputs).catch(() => undefined);
  }

  /** Runs a workflow to the end. Throws only for an invalid workflow; failures are in the report. */
  async run(input: Workflow, options: RunOptions): Promise<RunReport> {
    const problems = validateWorkflow(input, this.nodes);
    if (problems.length > 0) throw new WorkflowInvalidError(problems);
    const startedAt = new Date();
    const runId = options.runId ?? newRunId(startedAt);
    const { workflow, seeds } = resolveSeeds(input, this.nodes, options.drawSeed);
    const workflowJson = serializeWorkflow(workflow, this.nodes);
    const services = this.options.services;

    let seq = 0;
    const emit = (body: RunEventBody): void => {
      options.onEvent?.({ runId, seq: ++seq, time: new Date().toISOString(), ...body } as RunEvent);
    };

    const order = topologicalOrder(
      workflow.nodes.map((n) => n.id),
      workflow.connections,
    );
    const nodeById = new Map(workflow.nodes.map((n) => [n.id, n]));
    const planned = new Map<string, PlannedNode>();
    for (const id of order) {
      const node = nodeById.get(id)!;
      const definition = this.nodes.get(node.type)!;
      const inputs: PlannedNode['inputs'] = {};
      for (const wire of workflow.connections) if (wire.to[0] === id) inputs[wire.to[1]] = wire.from;
      planned.set(id, { id, definition, params: resolveParams(definition, node.params), inputs, cacheKey: '' });
    }
    const plan = [...planned.values()];
    await computeCacheKeys(plan, services);

    const report: RunReport = {
      format: 'sa3-run-report',
      version: 1,
      runId,
      workflow: { ...(workflow.name ? { name: workflow.name } : {}), sha256: sha256Hex(workflowJson) },
      status: 'running',
      startedAt: startedAt.toISOString(),
      seeds,
      nodes: plan.map((n): NodeReport => ({ id: n.id, type: n.definition.type, status: 'pending', cacheKey: n.cacheKey })),
      outputs: [],
      cacheHits: 0,
    };
    const nodeReport = new Map(report.nodes.map((n) => [n.id, n]));
    emit({ type: 'run-start', order, seeds });

    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (options.signal?.aborted) controller.abort();
    const staging = new OutputStaging(options.outDir, runId);
    const ancestorsSeed = (id: string): string => {
      const seen = new Set<string>();
      const walk = (nodeId: string): number | undefined => {
        if (seen.has(nodeId)) return undefined;
        seen.add(nodeId);
        const own = Object.values(seeds[nodeId] ?? {})[0];
        if (own !== undefined) return own;
        for (const [from] of Object.values(planned.get(nodeId)!.inputs)) {
          const found = walk(from);
          if (found !== undefined) return found;
        }
        return undefined;
      };
      return String(walk(id) ?? 'noseed');
    };
    const tokens = (node: string, extension: string) => ({
      workflow: workflow.name ?? options.workflowName ?? 'workflow',
      node,
      run: runId,
      date: startedAt.toISOString().slice(0, 10),
      time: startedAt.toISOString().slice(11, 19).replace(/:/g, ''),
      seed: ancestorsSeed(node),
      ext: extension,
    });

    let firstError: RunErrorReport | undefined;
    const results = new Map<string, Promise<NodeOutputs | null>>();

    const execute = async (node: PlannedNode): Promise<NodeOutputs | null> => {
      const entry = nodeReport.get(node.id)!;
      const upstream = await Promise.all(
        Object.entries(node.inputs).map(async ([name, [from, output]]) => [name, (await results.get(from)!)?.[output]] as const),
      );
      if (controller.signal.aborted || upstream.some(([, value]) => value === undefined)) {
        entry.status = controller.signal.aborted && !firstError ? 'cancelled' : 'skipped';
        return null;
      }
      const cached = node.definition.isOutput ? undefined : await this.cached(node);
      if (cached) {
        entry.status = 'cached';
        entry.outputs = summarizeOutputs(cached);
        report.cacheHits++;
        emit({ type: 'node-cached', node: node.id, nodeType: node.definition.type, outputs: entry.outputs });
        return cached;
      }
      const emitted: EmittedFile[] = [];
      const started = performance.now();
      entry.startedAt = new Date().toISOString();
      const body = async (): Promise<NodeOutputs> => {
        emit({ type: 'node-start', node: node.id, nodeType: node.definition.type });
        return node.definition.run({
          nodeId: node.id,
          params: node.params as never,
          inputs: Object.fromEntries(upstream) as never,
          services,
          signal: controller.signal,
          progress: (step, total, phase) => emit({ type: 'node-progress', node: node.id, step, total, ...(phase ? { phase } : {}) }),
          emitFile: (file) => emitted.push(file),
        });
      };
      try {
        const work = node.definition.usesModel ? this.queues.run(services.engine?.device ?? 'cpu', controller.signal, body) : body();
        const outputs = await untilAborted(work, controller.signal);
        if (controller.signal.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
        for (const { file, filenamePattern } of emitted) {
          const name = expandFilename(filenamePattern, tokens(node.id, file.extension));
          const bytes = this.options.embedWorkflow ? this.options.embedWorkflow(file.bytes, file.extension, workflowJson) : file.bytes;
          await staging.stage(node.id, name, { ...file, bytes });
        }
        entry.ms = Math.round((performance.now() - started) * 1000) / 1000;
        entry.status = 'done';
        entry.outputs = summarizeOutputs(outputs);
        if (!node.definition.isOutput) await this.remember(node, outputs);
        emit({ type: 'node-done', node: node.id, nodeType: node.definition.type, ms: entry.ms, outputs: entry.outputs });
        return outputs;
      } catch (error) {
        entry.ms = Math.round((performance.now() - started) * 1000) / 1000;
        if (isAbort(error) || (controller.signal.aborted && !(error instanceof NodeError))) {
          entry.status = firstError ? 'skipped' : 'cancelled';
          return null;
        }
        entry.status = 'failed';
        const failure = toErrorReport(node, error);
        firstError ??= failure;
        emit({
          type: 'node-error',
          node: node.id,
          nodeType: node.definition.type,
          code: failure.code,
          message: failure.message,
          ...(failure.param ? { param: failure.param } : {}),
          ...(failure.input ? { input: failure.input } : {}),
        });
        controller.abort();
        return null;
      }
    };

    for (const node of plan) results.set(node.id, execute(node));
    await Promise.allSettled(results.values());
    options.signal?.removeEventListener('abort', onOuterAbort);

    const finish = (status: RunReport['status']): RunReport => {
      report.status = status;
      const finished = new Date();
      report.finishedAt = finished.toISOString();
      report.durationMs = finished.getTime() - startedAt.getTime();
      return report;
    };
    if (firstError) {
      await staging.discard();
      report.error = firstError;
      emit({ type: 'run-error', report: finish('failed') });
    } else if (options.signal?.aborted) {
      await staging.discard();
      emit({ type: 'run-cancelled', report: finish('cancelled') });
    } else {
      try {
        report.outputs = await staging.commit();
        emit({ type: 'run-done', report: finish('succeeded') });
      } catch (error) {
        await staging.discard();
        report.error = {
          code: 'output_write_failed',
          message: `could not write the outputs into ${options.outDir}: ${error instanceof Error ? error.message : String(error)}`,
          kind: 'run',
        };
        emit({ type: 'run-error', report: finish('failed') });
      }
    }
    return report;
  }
}
