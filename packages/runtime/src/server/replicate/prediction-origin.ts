import type { RunRecord } from '../run-manager.js';
import type { RunOrigin } from '../run-journal.js';
import type { PredictionEntry } from './prediction-object.js';
import type { WebhookEvent } from './webhook-delivery.js';

/** A prediction's webhook as its request named it. */
export interface PredictionWebhook {
  readonly url: string;
  readonly events: readonly WebhookEvent[];
}

/** What a /v1 prediction's run keeps (in the run journal) so a restarted server answers it and its webhook again. */
export function predictionOrigin(entry: Omit<PredictionEntry, 'createdAt' | 'canceled'>, webhook: PredictionWebhook | null): RunOrigin {
  return { api: 'replicate', entry, ...(webhook ? { webhook } : {}) };
}

/** The prediction and webhook a run's origin holds, when it was made through /v1; its creation time is the run's. */
export function predictionOfRun(run: RunRecord): { entry: PredictionEntry; webhook: PredictionWebhook | null } | null {
  if (run.origin?.api !== 'replicate') return null;
  const entry = run.origin.entry as Partial<PredictionEntry> | undefined;
  const fields = ['id', 'model', 'version', 'base'] as const;
  if (typeof entry !== 'object' || entry === null || fields.some((f) => typeof entry[f] !== 'string') || typeof entry.input !== 'object') return null;
  const webhook = run.origin.webhook as Partial<PredictionWebhook> | undefined;
  const hasWebhook = typeof webhook === 'object' && webhook !== null && typeof webhook.url === 'string' && Array.isArray(webhook.events);
  return {
    entry: { ...(entry as Omit<PredictionEntry, 'createdAt' | 'canceled'>), createdAt: run.createdAt, canceled: run.status === 'cancelled' },
    webhook: hasWebhook ? (webhook as PredictionWebhook) : null,
  };
}
