import type { AnyNodeDefinition } from '@sa3/nodes';

/** A workflow node ready to run: its definition, params with defaults applied, wires and cache key. */
export interface PlannedNode {
  readonly id: string;
  readonly definition: AnyNodeDefinition;
  readonly params: Record<string, unknown>;
  /** input name -> [source node id, output name] */
  readonly inputs: Record<string, readonly [string, string]>;
  cacheKey: string;
}
