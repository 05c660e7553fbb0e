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
  /** Each node's own first seed, or else the first one found walking up its inputs (depth first, in input order). */
  private readonly seeds = new Map<string, number | undefined>();

  constructor(private readonly context: FileNamingContext) {
    // The plan lists every node after the nodes feeding it, so one pass in that order settles each
    // node from its inputs' answers: no walk per file, and no recursion however long the chain.
    for (const node of context.nodes) {
      let seed = Object.values(context.seeds[node.id] ?? {})[0];
      for (const [from] of Object.values(node.inputs)) {
        if (seed !== undefined) break;
        seed = this.seeds.get(from);
      }
      this.seeds.set(node.id, seed);
    }
  }

  tokens(node: string, extension: string): Record<FilenameToken, string> {
    const { workflowName, runId, startedAt } = this.context;
    return {
      workflow: workflowName,
      node,
      run: runId,
      date: startedAt.toISOString().slice(0, 10),
      time: startedAt.toISOString().slice(11, 19).replace(/:/g, ''),
      seed: String(this.seeds.get(node) ?? 'noseed'),
      ext: extension,
    };
  }
}
