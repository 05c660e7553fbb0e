import { getNodeDefinition } from './catalogue/index.js';
import { RANDOM_SEED, SEED_MAX } from './params/index.js';
import type { Workflow } from './workflow/index.js';

/** What happens to a seed after each run (ComfyUI's "control after generate"). */
export type SeedMode = 'fixed' | 'increment' | 'randomize';

export const seedModes: readonly SeedMode[] = ['fixed', 'increment', 'randomize'];

/** Where a workflow file keeps the modes: `meta.seedControl[nodeId][param]`, only for modes other than fixed. */
export const SEED_CONTROL_META = 'seedControl';

export type SeedModesByNode = Record<string, Record<string, SeedMode>>;

/** A seed drawn evenly from the seed kind's range, 0..SEED_MAX. */
export function randomSeed(): number {
  return Math.floor(Math.random() * (SEED_MAX + 1));
}

/**
 * The seed the next run uses: increment adds one (wrapping past SEED_MAX to 0), randomize draws
 * one that differs from the last; fixed keeps it, and -1 stays -1 (it is drawn on every run already).
 */
export function nextSeed(value: number, mode: SeedMode, draw: () => number = randomSeed): number {
  if (value === RANDOM_SEED || mode === 'fixed') return value;
  if (mode === 'increment') return value >= SEED_MAX ? 0 : value + 1;
  for (;;) {
    const drawn = draw();
    if (drawn !== value) return drawn;
  }
}

function isSeedMode(value: unknown): value is SeedMode {
  return typeof value === 'string' && (seedModes as readonly string[]).includes(value);
}

/** The modes a workflow's meta holds; anything unreadable counts as fixed. */
export function seedModesFromMeta(meta: Readonly<Record<string, unknown>> | undefined): SeedModesByNode {
  const raw = meta?.[SEED_CONTROL_META];
  const out: SeedModesByNode = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [node, params] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof params !== 'object' || params === null || Array.isArray(params)) continue;
    for (const [param, mode] of Object.entries(params as Record<string, unknown>)) if (isSeedMode(mode) && mode !== 'fixed') (out[node] ??= {})[param] = mode;
  }
  return out;
}

/** The meta to write: the file's own meta with the modes in place (and no seedControl entry when every seed is fixed). */
export function seedModesToMeta(meta: Readonly<Record<string, unknown>> | undefined, modes: SeedModesByNode): Readonly<Record<string, unknown>> | undefined {
  const kept: SeedModesByNode = {};
  for (const [node, params] of Object.entries(modes))
    for (const [param, mode] of Object.entries(params)) if (mode !== 'fixed') (kept[node] ??= {})[param] = mode;
  const rest = Object.fromEntries(Object.entries(meta ?? {}).filter(([key]) => key !== SEED_CONTROL_META));
  if (Object.keys(kept).length > 0) return { ...rest, [SEED_CONTROL_META]: kept };
  return meta === undefined && Object.keys(rest).length === 0 ? undefined : rest;
}

/**
 * The workflows of a batch of `count` takes: take 0 is the workflow as given, and each next take's
 * seeds are the previous take's after its control (nextSeed), as the editor steps them after each
 * run. Seeds of -1 stay -1, so each take draws its own at run start.
 */
export function batchWorkflows(workflow: Workflow, count: number, draw: () => number = randomSeed): Workflow[] {
  const modes = seedModesFromMeta(workflow.meta);
  const takes: Workflow[] = [workflow];
  for (let i = 1; i < count; i++) {
    const previous = takes[i - 1]!;
    const nodes = previous.nodes.map((node) => {
      const specs = getNodeDefinition(node.type)?.params ?? {};
      let params: Record<string, unknown> | null = null;
      for (const [name, spec] of Object.entries(specs)) {
        const mode = modes[node.id]?.[name];
        if (spec.kind !== 'seed' || !mode) continue;
        const value = typeof node.params[name] === 'number' ? node.params[name] : spec.default;
        const next = nextSeed(value, mode, draw);
        if (next !== value) (params ??= { ...node.params })[name] = next;
      }
      return params ? { ...node, params } : node;
    });
    takes.push({ ...previous, nodes });
  }
  return takes;
}
