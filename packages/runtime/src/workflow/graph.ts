import type { WorkflowConnection } from './types.js';

function adjacency(ids: readonly string[], connections: readonly WorkflowConnection[]): Map<string, string[]> {
  const next = new Map(ids.map((id) => [id, [] as string[]]));
  for (const { from, to } of connections) {
    if (next.has(from[0]) && next.has(to[0])) next.get(from[0])!.push(to[0]);
  }
  return next;
}

/** One loop among the wires, as the node ids along it, or null when the graph flows one way. */
export function findCycle(ids: readonly string[], connections: readonly WorkflowConnection[]): string[] | null {
  const next = adjacency(ids, connections);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'open');
    stack.push(id);
    for (const target of next.get(id)!) {
      if (state.get(target) === 'open') return stack.slice(stack.indexOf(target));
      if (!state.has(target)) {
        const found = visit(target);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of ids) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return null;
}

/** Node ids in an order where every node comes after the nodes feeding it (Kahn, stable by file order). */
export function topologicalOrder(ids: readonly string[], connections: readonly WorkflowConnection[]): string[] {
  const next = adjacency(ids, connections);
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const targets of next.values()) for (const t of targets) indegree.set(t, indegree.get(t)! + 1);
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const t of next.get(id)!) {
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) ready.push(t);
    }
  }
  return order;
}
