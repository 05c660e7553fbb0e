import { readFile } from 'node:fs/promises';
import type { RunRecord } from '../run-manager.js';
import { predictionStatus, type PredictionStatus } from '../cog/prediction.js';
import { scrubPaths } from '../scrub-paths.js';

/** What the server keeps of a prediction made through /v1, beside its run. */
export interface PredictionEntry {
  readonly id: string;
  /** owner/name */
  readonly model: string;
  readonly version: string;
  /** The input as the client sent it. */
  readonly input: Record<string, unknown>;
  readonly createdAt: string;
  /** Where links in this prediction point: the public URL, or the address the client used. */
  readonly base: string;
  /** Set once a client has cancelled it. */
  canceled: boolean;
}

/** A prediction exactly as Replicate's clients parse it. */
export interface PredictionObject {
  id: string;
  model: string;
  version: string;
  input: Record<string, unknown>;
  output: string | null;
  error: string | null;
  logs: string;
  status: PredictionStatus;
  source: 'api';
  data_removed: boolean;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  urls: { get: string; cancel: string; stream: string; web: string };
  metrics: { predict_time?: number; total_time?: number };
}

export function isFinal(status: PredictionStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled';
}

/** The log lines a run has written so far, one per model step and node. */
export function logLines(run: RunRecord): string[] {
  const lines: string[] = [];
  for (const event of run.events) {
    if (event.type === 'node-done') lines.push(`${event.node} (${event.nodeType}) done in ${(event.ms / 1000).toFixed(2)} s`);
    else if (event.type === 'node-cached') lines.push(`${event.node} (${event.nodeType}) cached`);
    else if (event.type === 'node-progress' && event.phase === 'sampling') lines.push(`${event.node}: step ${event.step}/${event.total}`);
    else if (event.type === 'node-error') lines.push(`${event.node} failed: ${event.message}`);
  }
  return lines.map(scrubPaths);
}

export function errorOf(run: RunRecord): string | null {
  if (predictionStatus(run) !== 'failed') return null;
  const error = run.report?.error;
  return scrubPaths(error ? `${error.node ? `${error.node}: ` : ''}${error.message}` : 'the prediction failed');
}

/** How an output is handed to clients: a data: URI, or a signed URL when the server has a public URL. */
export type OutputLink = (entry: PredictionEntry, run: RunRecord) => string | null;

export async function outputOf(entry: PredictionEntry, run: RunRecord, link: OutputLink | null): Promise<string | null> {
  const file = run.report?.outputs[0];
  if (predictionStatus(run) !== 'succeeded' || !file) return null;
  if (link) return link(entry, run);
  return `data:${file.mime};base64,${(await readFile(file.absolutePath)).toString('base64')}`;
}

export async function predictionObject(entry: PredictionEntry, run: RunRecord, link: OutputLink | null): Promise<PredictionObject> {
  // Everything but the output is read at once, so the object is one moment of the run.
  const status = predictionStatus(run);
  const error = errorOf(run);
  const logs = logLines(run).join('\n');
  const startedAt = run.startedAt ?? null;
  const completedAt = run.finishedAt && isFinal(status) ? run.finishedAt : null;
  const api = `${entry.base}/v1/predictions/${entry.id}`;
  const output = await outputOf(entry, run, link);
  const metrics: PredictionObject['metrics'] = {};
  if (completedAt !== null) {
    if (startedAt !== null) metrics.predict_time = (Date.parse(completedAt) - Date.parse(startedAt)) / 1000;
    metrics.total_time = (Date.parse(completedAt) - Date.parse(entry.createdAt)) / 1000;
  }
  return {
    id: entry.id,
    model: entry.model,
    version: entry.version,
    input: entry.input,
    output,
    error,
    logs,
    status,
    source: 'api',
    data_removed: false,
    created_at: entry.createdAt,
    started_at: startedAt,
    completed_at: completedAt,
    urls: { get: api, cancel: `${api}/cancel`, stream: `${api}/stream`, web: `${entry.base}/` },
    metrics,
  };
}
