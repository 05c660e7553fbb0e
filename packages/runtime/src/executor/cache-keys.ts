import type { NodeServices } from '@sa3/nodes';
import { sha256Hex, stableStringify } from '../files/index.js';
import type { PlannedNode } from './planned-node.js';

/**
 * A node's cache key covers what decides its result: type, typeVersion, params (defaults
 * applied), the keys of what feeds it, what its files point at now, and the model pack.
 */
export async function computeCacheKeys(order: readonly PlannedNode[], services: NodeServices): Promise<void> {
  const byId = new Map(order.map((n) => [n.id, n]));
  for (const node of order) {
    const inputs = Object.fromEntries(Object.entries(node.inputs).map(([name, [from, output]]) => [name, `${byId.get(from)!.cacheKey}:${output}`]));
    const fingerprint = node.definition.fingerprint ? await node.definition.fingerprint(node.params as never, services) : undefined;
    // A model that cannot be resolved fails the node when it runs, with the engine's own sentence.
    const model =
      node.definition.usesModel && services.engine && typeof node.params.model === 'string'
        ? await services.engine.packHash(node.params.model).catch(() => 'unresolved')
        : undefined;
    node.cacheKey = sha256Hex(
      stableStringify({ type: node.definition.type, typeVersion: node.definition.typeVersion, params: node.params, inputs, fingerprint, model }),
    );
  }
}
