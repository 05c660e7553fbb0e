export const WORKFLOW_FORMAT = 'sa3-workflow';
export const WORKFLOW_VERSION = 1;

export type Position = readonly [number, number];

export interface WorkflowNode {
  readonly id: string;
  readonly type: string;
  readonly typeVersion: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly position?: Position;
  /** Free text the user attached to the node. */
  readonly title?: string;
}

/** A wire: output `from[1]` of node `from[0]` feeds input `to[1]` of node `to[0]`. */
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
  /** Room for tools (the editor's viewport, say); kept as is, never interpreted. */
  readonly meta?: Readonly<Record<string, unknown>>;
}
