import type { Problem } from './problems.js';
import type { Workflow, WorkflowNode } from './types.js';
import type { NodeLookup } from './catalogue.js';

export interface Migration {
  readonly node: string;
  readonly type: string;
  readonly from: number;
  readonly to: number;
}

/**
 * Brings every node written for an older typeVersion up to the current one by running its
 * definition's migrations in order. Unknown types and too-new versions are left for the validator.
 */
export function migrateWorkflow(workflow: Workflow, nodes: NodeLookup): { workflow: Workflow; migrations: Migration[]; problems: Problem[] } {
  const migrations: Migration[] = [];
  const problems: Problem[] = [];
  const migrated = workflow.nodes.map((node): WorkflowNode => {
    const definition = nodes.get(node.type);
    if (!definition || node.typeVersion >= definition.typeVersion) return node;
    let params: Record<string, unknown> = { ...node.params };
    for (let version = node.typeVersion; version < definition.typeVersion; version++) {
      const step = definition.migrations?.[version];
      if (!step) {
        problems.push({
          code: 'migration_failed',
          message: `node "${node.id}" is ${node.type} version ${node.typeVersion}, and this runtime has no migration from version ${version} to ${version + 1}`,
          node: node.id,
        });
        return node;
      }
      try {
        params = step(params);
      } catch (error) {
        problems.push({
          code: 'migration_failed',
          message: `node "${node.id}" could not be upgraded from ${node.type} version ${version}: ${error instanceof Error ? error.message : String(error)}`,
          node: node.id,
        });
        return node;
      }
    }
    migrations.push({ node: node.id, type: node.type, from: node.typeVersion, to: definition.typeVersion });
    return { ...node, typeVersion: definition.typeVersion, params };
  });
  return { workflow: { ...workflow, nodes: migrated }, migrations, problems };
}
