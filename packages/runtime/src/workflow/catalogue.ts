import { getNodeDefinition, nodeCatalogue, type AnyNodeDefinition } from '@sa3/nodes';

/** Where node definitions come from; tests and embedders may pass their own. */
export interface NodeLookup {
  get(type: string): AnyNodeDefinition | undefined;
}

export const builtinNodes: NodeLookup = { get: getNodeDefinition };

export function lookupFrom(definitions: readonly AnyNodeDefinition[]): NodeLookup {
  const byType = new Map([...nodeCatalogue, ...definitions].map((d) => [d.type, d]));
  return { get: (type) => byType.get(type) };
}
