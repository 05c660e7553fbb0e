import type { AnyNodeDefinition } from './node-definition.js';

/**
 * Params written for an older typeVersion of a node, brought up to the definition's version by
 * its migrations in order; null when a step is missing or fails (the file is then shown as it is).
 */
export function upgradeParams(
  definition: AnyNodeDefinition,
  typeVersion: number,
  params: Readonly<Record<string, unknown>>,
): { typeVersion: number; params: Record<string, unknown> } | null {
  let upgraded: Record<string, unknown> = { ...params };
  for (let version = typeVersion; version < definition.typeVersion; version++) {
    const step = definition.migrations?.[version];
    if (!step) return null;
    try {
      upgraded = step(upgraded);
    } catch {
      return null;
    }
  }
  return { typeVersion: definition.typeVersion, params: upgraded };
}
