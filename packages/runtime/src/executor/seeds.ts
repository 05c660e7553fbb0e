import { randomInt } from 'node:crypto';
import { RANDOM_SEED, SEED_MAX, type ParamSpecs } from '@sa3/nodes';
import type { NodeLookup, Workflow } from '../workflow/index.js';

/** Replaces every seed of -1 with a fresh random seed, returning the seeds as they will be used. */
export function resolveSeeds(
  workflow: Workflow,
  nodes: NodeLookup,
  draw: () => number = () => randomInt(0, SEED_MAX + 1),
): { workflow: Workflow; seeds: Record<string, Record<string, number>> } {
  const seeds: Record<string, Record<string, number>> = {};
  const resolved = workflow.nodes.map((node) => {
    const specs: ParamSpecs = nodes.get(node.type)?.params ?? {};
    const params = { ...node.params };
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.kind !== 'seed') continue;
      const value = (params[name] as number | undefined) ?? spec.default;
      params[name] = value === RANDOM_SEED ? draw() : value;
      (seeds[node.id] ??= {})[name] = params[name] as number;
    }
    return { ...node, params };
  });
  return { workflow: { ...workflow, nodes: resolved }, seeds };
}
