/** What a node's outputs look like in events and the report: sizes and durations, never the data. */
export type OutputSummary = Record<string, unknown>;

export type NodeStatus = 'pending' | 'done' | 'cached' | 'failed' | 'cancelled' | 'skipped';

export interface NodeReport {
  readonly id: string;
  readonly type: string;
  status: NodeStatus;
  readonly cacheKey: string;
  startedAt?: string;
  ms?: number;
  outputs?: OutputSummary;
}

export interface OutputFileReport {
  readonly node: string;
  /** Relative to the output directory, with forward slashes. */
  readonly path: string;
  readonly absolutePath: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly mime: string;
}

export interface RunErrorReport {
  readonly code: string;
  readonly message: string;
  readonly node?: string;
  readonly param?: string;
  readonly input?: string;
  /** 'input': the user's input was at fault; 'run': the run itself failed. */
  readonly kind: 'input' | 'run';
}

export interface RunReport {
  readonly format: 'sa3-run-report';
  readonly version: 1;
  readonly runId: string;
  readonly workflow: { readonly name?: string; readonly sha256: string };
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** Every seed param, as used: -1 already replaced by the value drawn at run start. */
  readonly seeds: Record<string, Record<string, number>>;
  readonly nodes: NodeReport[];
  outputs: OutputFileReport[];
  cacheHits: number;
  error?: RunErrorReport;
}
