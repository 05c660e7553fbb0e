import { parseWorkflow } from '@sa3/nodes';
import { builtinNodes, type NodeLookup } from './catalogue.js';
import { migrateWorkflow, type Migration } from './migrate.js';
import { applyOverrides, type ParamOverride } from './overrides.js';
import type { Problem } from './problems.js';
import type { Workflow } from './types.js';
import { validateWorkflow, workflowWarnings, type ValidateOptions, type WorkflowWarning } from './validate.js';

export interface LoadOptions extends ValidateOptions {
  readonly nodes?: NodeLookup;
  readonly overrides?: readonly ParamOverride[];
}

export interface LoadResult {
  /** Null only when the text could not be read as a workflow at all. */
  readonly workflow: Workflow | null;
  readonly problems: readonly Problem[];
  /** What the workflow sets but will not use; it runs all the same. */
  readonly warnings: readonly WorkflowWarning[];
  readonly migrations: readonly Migration[];
}

/** parse -> migrate -> overrides -> validate, collecting every problem of every stage. */
export function loadWorkflow(text: string, options: LoadOptions = {}): LoadResult {
  const nodes = options.nodes ?? builtinNodes;
  const parsed = parseWorkflow(text);
  if (!parsed.workflow) return { workflow: null, problems: parsed.problems, warnings: [], migrations: [] };
  const migrated = migrateWorkflow(parsed.workflow, nodes);
  const overridden = applyOverrides(migrated.workflow, options.overrides ?? [], nodes);
  const problems = [...parsed.problems, ...migrated.problems, ...overridden.problems, ...validateWorkflow(overridden.workflow, nodes, options)];
  return { workflow: overridden.workflow, problems, warnings: workflowWarnings(overridden.workflow, nodes), migrations: migrated.migrations };
}
