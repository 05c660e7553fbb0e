import type { Workflow } from '../workflow/index.js';

/** The seed that led to a node's output: its own first seed, else the first found walking up its inputs (depth first, in wire order). */
export function seedLeadingTo(workflow: Workflow, seeds: Readonly<Record<string, Readonly<Record<string, number>>>>, nodeId: string): number | undefined {
  const visited = new Set<string>();
  const walk = (id: string): number | undefined => {
    if (visited.has(id)) return undefined;
    visited.add(id);
    const own = Object.values(seeds[id] ?? {})[0];
    if (own !== undefined) return own;
    for (const wire of workflow.connections) {
      if (wire.to[0] !== id) continue;
      const found = walk(wire.from[0]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(nodeId);
}
