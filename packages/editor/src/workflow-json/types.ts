/** The workflow file format v1, as the runtime reads and writes it. */
export const WORKFLOW_FORMAT = 'sa3-workflow';
export const WORKFLOW_VERSION = 1;

export type Position = readonly [number, number];

export interface WorkflowNode {
  readonly id: string;
  readonly type: string;
  readonly typeVersion: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly position?: Position;
  readonly title?: string;
}

export interface WorkflowConnection {
  readonly from: readonly [string, string];
  readonly to: readonly [string, string];
}

export interface Workflow {
  readonly format: typeof WORKFLOW_FORMAT;
  readonly version: typeof WORKFLOW_VERSION;
  readonly name?: string;
  readonly description?: string;
  readonly nodes: readonly WorkflowNode[];
  readonly connections: readonly WorkflowConnection[];
  readonly models?: Readonly<Record<string, { readonly sha256?: string }>>;
  readonly meta?: Readonly<Record<string, unknown>>;
}
