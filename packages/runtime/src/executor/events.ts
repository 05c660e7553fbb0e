import type { OutputSummary, RunReport } from './report.js';

export type { OutputSummary } from './report.js';

interface EventBase {
  readonly runId: string;
  /** Increases by one per event of a run; clients resume a stream from it. */
  readonly seq: number;
  readonly time: string;
}

export type RunEventBody =
  | { readonly type: 'run-start'; readonly order: readonly string[]; readonly seeds: RunReport['seeds'] }
  | { readonly type: 'node-start'; readonly node: string; readonly nodeType: string }
  | { readonly type: 'node-progress'; readonly node: string; readonly step: number; readonly total: number; readonly phase?: string }
  | { readonly type: 'node-cached'; readonly node: string; readonly nodeType: string; readonly outputs: OutputSummary }
  | { readonly type: 'node-done'; readonly node: string; readonly nodeType: string; readonly ms: number; readonly outputs: OutputSummary }
  | {
      readonly type: 'node-error';
      readonly node: string;
      readonly nodeType: string;
      readonly code: string;
      readonly message: string;
      readonly param?: string;
      readonly input?: string;
    }
  | { readonly type: 'run-done'; readonly report: RunReport }
  | { readonly type: 'run-error'; readonly report: RunReport }
  | { readonly type: 'run-cancelled'; readonly report: RunReport };

export type RunEvent = EventBase & RunEventBody;
export type RunEventType = RunEvent['type'];
