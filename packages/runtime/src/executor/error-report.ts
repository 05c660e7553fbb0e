import { NodeError } from '@sa3/nodes';
import type { PlannedNode } from './planned-node.js';
import type { RunErrorReport } from './report.js';

/** What the report and the node-error event say about a node's error. */
export function toErrorReport(node: PlannedNode, error: unknown): RunErrorReport {
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
