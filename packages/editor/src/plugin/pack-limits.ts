import { paramApplies, paramDefault } from '@sa3/nodes';
import type { Sa3Node } from './sa3-node.js';
import type { PackLimit } from './pack-limit.js';

export type { PackLimit } from './pack-limit.js';

/** Params, in seconds, that a pack's longest audio bounds. */
const LENGTH_PARAMS = ['duration', 'add_seconds', 'end_seconds'] as const;

/** Whether the selected pack bounds this param (a length or a region in seconds). */
export function isPackBounded(param: string): boolean {
  return (LENGTH_PARAMS as readonly string[]).includes(param) || param === 'regions';
}

function hasModelParam(node: Sa3Node): boolean {
  return Object.values(node.definition?.params ?? {}).some((spec) => spec.kind === 'model');
}

/** The installed pack a node's model param selects ("auto" as the server picks), or undefined when it is not installed here. */
export function selectedPack(node: Sa3Node, packs: readonly PackLimit[]): PackLimit | undefined {
  if (!hasModelParam(node)) return undefined;
  const model = node.params.model ?? 'auto';
  return model === 'auto' ? (packs.find((p) => p.auto) ?? packs[0]) : packs.find((p) => p.id === model);
}

/** The latest second a node's lengths may reach with its selected pack, or undefined when no installed pack bounds it. */
export function packSecondsLimit(node: Sa3Node, packs: readonly PackLimit[]): number | undefined {
  return selectedPack(node, packs)?.maxSeconds;
}

function seconds(value: number): string {
  return `${Number(value.toFixed(2))} s`;
}

/** A length beyond what the selected pack makes: param and sentence, in the words the other range marks use. */
export function packLimitProblems(node: Sa3Node, packs: readonly PackLimit[]): { param: string; message: string }[] {
  const pack = selectedPack(node, packs);
  const definition = node.definition;
  if (!pack || !definition) return [];
  const limit = seconds(pack.maxSeconds);
  const found: { param: string; message: string }[] = [];
  for (const name of LENGTH_PARAMS) {
    const spec = definition.params[name];
    if (!spec || !paramApplies(definition, name, node.params)) continue;
    const value = node.params[name] ?? paramDefault(spec);
    if (typeof value !== 'number' || value <= pack.maxSeconds) continue;
    found.push({ param: name, message: `${spec.label} is ${seconds(value)}, above the ${limit} the "${pack.id}" pack makes` });
  }
  const regions = node.params.regions;
  if ('regions' in definition.params && Array.isArray(regions)) {
    const index = regions.findIndex((r: unknown) => typeof (r as { end?: unknown }).end === 'number' && (r as { end: number }).end > pack.maxSeconds);
    if (index >= 0)
      found.push({
        param: 'regions',
        message: `region ${index + 1} ends at ${seconds((regions[index] as { end: number }).end)}, above the ${limit} the "${pack.id}" pack makes`,
      });
  }
  return found;
}
