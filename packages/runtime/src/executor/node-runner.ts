import { setImmediate } from 'node:timers/promises';
import type { NodeServices } from '@sa3/nodes';
import { isCancellation, type RunStop } from './cancellation.js';
import type { DeviceQueues } from './device-queue.js';
import { invokeNode } from './invoke-node.js';
import type { NodeCache } from './node-cache.js';
import type { NodeLedger, NodeSettlement } from './node-ledger.js';
import type { OutputWriter } from './output-writer.js';
import type { PlannedNode } from './planned-node.js';
import type { NodeOutputs } from './result-cache.js';
import type { RunEmitter } from './run-events.js';

export interface NodeRunnerParts {
  readonly services: NodeServices;
  readonly queues: DeviceQueues;
  readonly stop: RunStop;
  readonly emitter: RunEmitter;
  readonly cache: NodeCache;
  readonly outputs: OutputWriter;
  readonly ledger: NodeLedger;
}

function msSince(start: number): number {
  return Math.round((performance.now() - start) * 1000) / 1000;
}

/** Runs a plan's nodes, each as soon as its inputs are there, so independent branches overlap. */
export class NodeRunner {
  /** Each node's outputs, or null when it did not produce any, until every input it feeds has read them. */
  private readonly results = new Map<string, Promise<NodeOutputs | null>>();
  /** How many inputs are still to read each node's outputs. */
  private readonly unread = new Map<string, number>();

  constructor(private readonly parts: NodeRunnerParts) {}

  async runAll(nodes: readonly PlannedNode[]): Promise<void> {
    for (const node of nodes) for (const [from] of Object.values(node.inputs)) this.unread.set(from, (this.unread.get(from) ?? 0) + 1);
    // Waiting on each node's end rather than on its outputs, so outputs nothing reads any more can be let go mid-run.
    const ends = nodes.map((node) => {
      const result = this.run(node);
      this.results.set(node.id, result);
      if (!this.unread.get(node.id)) {
        const forget = () => this.results.delete(node.id);
        void result.then(forget, forget);
      }
      return result.then(() => undefined);
    });
    await Promise.allSettled(ends);
  }

  private async run(node: PlannedNode): Promise<NodeOutputs | null> {
    const { stop, cache, outputs: writer } = this.parts;
    const inputs = await this.inputsOf(node);
    // Each node starts in a turn of the event loop of its own: a long chain of quick nodes would
    // otherwise run as one unbroken stretch of promise callbacks, during which a server answers
    // nothing, not even the request to cancel the run.
    await setImmediate();
    if (stop.signal.aborted) return this.settle(node, { ending: 'stopped' });
    if (!inputs) return this.settle(node, { ending: 'input-missing' });
    const cached = await cache.lookup(node);
    if (cached) return this.settle(node, { ending: 'cached', outputs: cached });
    const started = performance.now();
    this.parts.ledger.started(node);
    try {
      const { outputs, files } = await invokeNode(node, inputs, { ...this.parts, signal: stop.signal });
      await writer.stage(node.id, files);
      const ms = msSince(started);
      await cache.store(node, outputs);
      return this.settle(node, { ending: 'ran', outputs, ms });
    } catch (error) {
      const ms = msSince(started);
      return this.settle(node, isCancellation(error, stop.signal) ? { ending: 'stopped', ms } : { ending: 'threw', error, ms });
    }
  }

  /** The values wired into the node, or undefined when one of them never came. */
  private async inputsOf(node: PlannedNode): Promise<Record<string, unknown> | undefined> {
    const values = await Promise.all(
      Object.entries(node.inputs).map(async ([name, [from, output]]) => {
        const value = (await this.results.get(from)!)?.[output];
        const unread = this.unread.get(from)! - 1;
        this.unread.set(from, unread);
        if (unread === 0) this.results.delete(from);
        return [name, value] as const;
      }),
    );
    return values.some(([, value]) => value === undefined) ? undefined : Object.fromEntries(values);
  }

  private settle(node: PlannedNode, settlement: NodeSettlement): NodeOutputs | null {
    const status = this.parts.ledger.settle(node, settlement);
    // A failure ends the run: nodes still running are stopped, those not started are skipped.
    if (status === 'failed') this.parts.stop.stop();
    return settlement.ending === 'ran' || settlement.ending === 'cached' ? settlement.outputs : null;
  }
}
