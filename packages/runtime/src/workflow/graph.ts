import type { WorkflowConnection } from './types.js';

function adjacency(ids: readonly string[], connections: readonly WorkflowConnection[]): Map<string, string[]> {
  const next = new Map(ids.map((id) => [id, [] as string[]]));
  for (const { from, to } of connections) {
    if (next.has(from[0]) && next.has(to[0])) next.get(from[0])!.push(to[0]);
  }
  return next;
}

/**
 * One loop among the wires, as the node ids along it, or null when the graph flows one way.
 * Depth-first with an explicit stack, so a chain of any length cannot exhaust the call stack.
 */
export function findCycle(ids: readonly string[], connections: readonly WorkflowConnection[]): string[] | null {
  const next = adjacency(ids, connections);
  const state = new Map<string, 'open' | 'done'>();
  /** The path from the root being walked: each node with the index of its next wire to follow. */
  const path: { id: string; wire: number }[] = [];
  for (const root of ids) {
    if (state.has(root)) continue;
    state.set(root, 'open');
    path.push({ id: root, wire: 0 });
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const targets = next.get(top.id)!;
      if (top.wire === targets.length) {
        state.set(top.id, 'done');
        path.pop();
        continue;
      }
      const target = targets[top.wire++]!;
      const seen = state.get(target);
      if (seen === 'open') return path.slice(path.findIndex((step) => step.id === target)).map((step) => step.id);
      if (seen === undefined) {
        state.set(target, 'open');
        path.push({ id: target, wire: 0 });
      }
    }
  }
  return null;
}

/** Node ids in an order where every node comes after the nodes feeding it (Kahn, stable by file order). */
export function topologicalOrder(ids: readonly string[], connections: readonly WorkflowConnection[]): string[] {
  const next = adjacency(ids, connections);
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const targets of next.values()) for (const t of targets) indegree.set(t, indegree.get(t)! + 1);
  // A queue read from the front by index: shifting a long array would make this quadratic.
  const order = ids.filter((id) => indegree.get(id) === 0);
  for (let head = 0; head < order.length; head++) {
    for (const t of next.get(order[head]!)!) {
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) order.push(t);
    }
  }
  return order;
}
