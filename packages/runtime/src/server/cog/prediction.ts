import { readFile } from 'node:fs/promises';
import type { RunRecord } from '../run-manager.js';
import { scrubPaths } from '../scrub-paths.js';

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
export type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['start', 'output', 'logs', 'completed'];

/** What a client sent besides the input. */
export interface PredictionRequest {
  readonly id: string;
  readonly input: Record<string, unknown>;
  readonly webhook?: string;
  readonly webhookEvents: readonly WebhookEvent[];
  readonly outputAsUrl: boolean;
}

/** A prediction as Cog clients see it. */
export interface PredictionResponse {
  id: string;
  input: Record<string, unknown>;
  output: string | null;
  error: string | null;
  status: PredictionStatus;
  logs: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  metrics: { predict_time?: number };
}

export function predictionStatus(run: RunRecord): PredictionStatus {
  switch (run.status) {
    case 'queued':
      return 'starting';
    case 'running':
      return 'processing';
    case 'succeeded':
      return 'succeeded';
    case 'cancelled':
      return 'canceled';
    default:
      return 'failed';
  }
}

function logsOf(run: RunRecord): string {
  const lines: string[] = [];
  for (const event of run.events) {
    if (event.type === 'node-done') lines.push(`${event.node} (${event.nodeType}) done in ${(event.ms / 1000).toFixed(2)} s`);
    else if (event.type === 'node-cached') lines.push(`${event.node} (${event.nodeType}) cached`);
    else if (event.type === 'node-progress' && event.phase === 'sampling') lines.push(`${event.node}: step ${event.step}/${event.total}`);
    else if (event.type === 'node-error') lines.push(`${event.node} failed: ${scrubPaths(event.message)}`);
  }
  return lines.join('\n');
}

/** Builds the response, reading the output file into a data URI unless a URL was asked for. */
export async function predictionResponse(
  request: PredictionRequest,
  run: RunRecord,
  outputUrl: (runId: string, path: string) => string,
): Promise<PredictionResponse> {
  const status = predictionStatus(run);
  let output: string | null = null;
  const file = run.report?.outputs[0];
  if (status === 'succeeded' && file) {
    output = request.outputAsUrl ? outputUrl(run.id, file.path) : `data:${file.mime};base64,${(await readFile(file.absolutePath)).toString('base64')}`;
  }
  const error = run.report?.error;
  const started = run.startedAt ? Date.parse(run.startedAt) : null;
  const finished = run.finishedAt ? Date.parse(run.finishedAt) : null;
  return {
    id: request.id,
    input: request.input,
    output,
    error: status === 'failed' ? (error ? `${error.node ? `${error.node}: ` : ''}${scrubPaths(error.message)}` : 'the prediction failed') : null,
    status,
    logs: logsOf(run),
    created_at: run.createdAt,
    started_at: run.startedAt ?? null,
    completed_at: run.finishedAt && status !== 'starting' && status !== 'processing' ? run.finishedAt : null,
    metrics: started !== null && finished !== null ? { predict_time: (finished - started) / 1000 } : {},
  };
}
