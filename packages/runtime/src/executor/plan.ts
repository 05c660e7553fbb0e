import type { NodeServices } from '@sa3/nodes';
import { resolveParams, topologicalOrder, type NodeLookup, type Workflow } from '../workflow/index.js';
import { computeCacheKeys } from './cache-keys.js';
import type { PlannedNode } from './planned-node.js';

export interface RunPlan {
  /** Node ids in dependency order. */
  readonly order: string[];
  /** The nodes in that order, with their cache keys. */
  readonly nodes: readonly PlannedNode[];
}

/** Orders a valid workflow's nodes, applies param defaults, and computes every cache key. */
export async function planRun(workflow: Workflow, nodes: NodeLookup, services: NodeServices): Promise<RunPlan> {
  const order = topologicalOrder(
    workflow.nodes.map((n) => n.id),
    workflow.connections,
  );
  const nodeById = new Map(workflow.nodes.map((n) => [n.id, n]));
  // Wires grouped by the node they feed, in one pass: looking them up per node would be quadratic.
  const inputsOf = new Map<string, PlannedNode['inputs']>();
  for (const wire of workflow.connections) {
    const inputs = inputsOf.get(wire.to[0]) ?? {};
    inputs[wire.to[1]] = wire.from;
    inputsOf.set(wire.to[0], inputs);
  }
  const planned = order.map((id): PlannedNode => {
    const node = nodeById.get(id)!;
    const definition = nodes.get(node.type)!;
    return { id, definition, params: resolveParams(definition, node.params), inputs: inputsOf.get(id) ?? {}, cacheKey: '' };
  });
  await computeCacheKeys(planned, services);
  return { order, nodes: planned };
}
