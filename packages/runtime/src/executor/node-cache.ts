import type { DiskResultStore } from './disk-result-store.js';
import type { PlannedNode } from './planned-node.js';
import type { NodeOutputs, ResultCache } from './result-cache.js';

/**
 * Where a node's earlier result is looked up and its new result kept: in memory for every node,
 * on disk too for model nodes. Output nodes are never cached: they always run to hand over files.
 */
export class NodeCache {
  constructor(
    private readonly memory: ResultCache,
    private readonly disk: DiskResultStore | undefined,
  ) {}

  async lookup(node: PlannedNode): Promise<NodeOutputs | undefined> {
    if (node.definition.isOutput) return undefined;
    const inMemory = this.memory.get(node.cacheKey);
    if (inMemory || !this.disk || !node.definition.usesModel) return inMemory;
    // The disk only saves work: an entry it cannot give back (it reports why) is a miss, never a failed node.
    const stored = await this.disk.read(node.cacheKey).catch(() => undefined);
    if (stored) this.memory.set(node.cacheKey, stored, node.definition.outputs);
    return stored;
  }

  async store(node: PlannedNode, outputs: NodeOutputs): Promise<void> {
    if (node.definition.isOutput) return;
    this.memory.set(node.cacheKey, outputs, node.definition.outputs);
    // The disk only saves work; a full disk must not fail a run that succeeded.
    if (this.disk && node.definition.usesModel) await this.disk.write(node.cacheKey, outputs, node.definition.outputs).catch(() => undefined);
  }
}
