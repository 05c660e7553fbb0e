import type { FilenameToken } from '../workflow/index.js';
import type { PlannedNode } from './planned-node.js';

export interface FileNamingContext {
  readonly workflowName: string;
  readonly runId: string;
  readonly startedAt: Date;
  /** Every seed param of the run, as used. */
  readonly seeds: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly nodes: readonly PlannedNode[];
}

/** The values a file name pattern's {tokens} expand to for one node's file. */
export class FileNaming {
  private readonly nodes: ReadonlyMap<string, PlannedNode>;

  constructor(private readonly context: FileNamingContext) {
    this.nodes = new Map(context.nodes.map((n) => [n.id, n]));
  }

  tokens(node: string, extension: string): Record<FilenameToken, string> {
    const { workflowName, runId, startedAt } = this.context;
    return {
      workflow: workflowName,
      node,
      run: runId,
      date: startedAt.toISOString().slice(0, 10),
      time: startedAt.toISOString().slice(11, 19).replace(/:/g, ''),
      seed: String(this.seedOf(node) ?? 'noseed'),
      ext: extension,
    };
  }

  /** The node's own first seed, or else the first one found walking up its inputs. */
  private seedOf(start: string): number | undefined {
    const seen = new Set<string>();
    const walk = (id: string): number | undefined => {
      if (seen.has(id)) return undefined;
      seen.add(id);
      const own = Object.values(this.context.seeds[id] ?? {})[0];
      if (own !== undefined) return own;
      for (const [from] of Object.values(this.nodes.get(id)!.inputs)) {
        const found = walk(from);
        if (found !== undefined) return found;
      }
      return undefined;
    };
    return walk(start);
  }
}
