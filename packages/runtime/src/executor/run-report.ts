import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../files/index.js';
import type { Workflow } from '../workflow/index.js';
import type { PlannedNode } from './planned-node.js';
import type { NodeReport, RunReport } from './report.js';

export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export interface RunStart {
  readonly runId: string;
  readonly startedAt: Date;
  readonly workflow: Workflow;
  readonly workflowJson: string;
  readonly seeds: RunReport['seeds'];
  readonly nodes: readonly PlannedNode[];
}

/** The report of a run that has just started: every node pending. */
export function startReport(start: RunStart): RunReport {
  return {
    format: 'sa3-run-report',
    version: 1,
    runId: start.runId,
    workflow: { ...(start.workflow.name ? { name: start.workflow.name } : {}), sha256: sha256Hex(start.workflowJson) },
    status: 'running',
    startedAt: start.startedAt.toISOString(),
    seeds: start.seeds,
    nodes: start.nodes.map((n): NodeReport => ({ id: n.id, type: n.definition.type, status: 'pending', cacheKey: n.cacheKey })),
    outputs: [],
    cacheHits: 0,
  };
}
