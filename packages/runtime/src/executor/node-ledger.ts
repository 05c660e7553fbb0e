import { toErrorReport } from './error-report.js';
import { finalNodeStatus, type FinalNodeStatus, type NodeEnding } from './node-status.js';
import type { PlannedNode } from './planned-node.js';
import type { NodeReport, RunErrorReport, RunReport } from './report.js';
import type { NodeOutputs } from './result-cache.js';
import type { RunEmitter } from './run-events.js';
import { summarizeOutputs } from './summarize.js';

/** How a node's turn ended, with what the report needs to know about it. */
export type NodeSettlement =
  | { readonly ending: Extract<NodeEnding, 'ran'>; readonly outputs: NodeOutputs; readonly ms: number }
  | { readonly ending: Extract<NodeEnding, 'cached'>; readonly outputs: NodeOutputs }
  | { readonly ending: Extract<NodeEnding, 'threw'>; readonly error: unknown; readonly ms: number }
  | { readonly ending: Extract<NodeEnding, 'stopped'>; readonly ms?: number }
  | { readonly ending: Extract<NodeEnding, 'input-missing'> };

/** Writes each node's state into the run report and tells the listeners: the only writer of node states. */
export class NodeLedger {
  private readonly entries: ReadonlyMap<string, NodeReport>;
  private failure: RunErrorReport | undefined;

  constructor(
    private readonly report: RunReport,
    private readonly emitter: RunEmitter,
  ) {
    this.entries = new Map(report.nodes.map((n) => [n.id, n]));
  }

  /** The error of the first node that failed, if one did. */
  get firstFailure(): RunErrorReport | undefined {
    return this.failure;
  }

  started(node: PlannedNode): void {
    this.entry(node).startedAt = new Date().toISOString();
  }

  settle(node: PlannedNode, settlement: NodeSettlement): FinalNodeStatus {
    const entry = this.entry(node);
    const status = finalNodeStatus(settlement.ending, this.failure !== undefined);
    entry.status = status;
    if ('ms' in settlement && settlement.ms !== undefined) entry.ms = settlement.ms;
    const nodeType = node.definition.type;
    switch (settlement.ending) {
      case 'ran':
        entry.outputs = summarizeOutputs(settlement.outputs, node.definition.outputs);
        this.emitter.emit({ type: 'node-done', node: node.id, nodeType, ms: settlement.ms, outputs: entry.outputs });
        break;
      case 'cached':
        entry.outputs = summarizeOutputs(settlement.outputs, node.definition.outputs);
        this.report.cacheHits++;
        this.emitter.emit({ type: 'node-cached', node: node.id, nodeType, outputs: entry.outputs });
        break;
      case 'threw': {
        const failure = toErrorReport(node, settlement.error);
        this.failure ??= failure;
        this.emitter.emit({
          type: 'node-error',
          node: node.id,
          nodeType,
          code: failure.code,
          message: failure.message,
          ...(failure.param ? { param: failure.param } : {}),
          ...(failure.input ? { input: failure.input } : {}),
        });
        break;
      }
    }
    return status;
  }

  private entry(node: PlannedNode): NodeReport {
    return this.entries.get(node.id)!;
  }
}
