import type { ReplicateContext } from './context.js';
import { deliverWebhooks } from './create-prediction.js';
import { predictionOfRun } from './prediction-origin.js';

/** The /v1 predictions of an earlier server whose runs this one follows again (sa3 serve --redis): known under their ids, their webhooks told the rest. */
export function resumePredictions(ctx: ReplicateContext): void {
  for (const run of ctx.runs.list()) {
    const found = predictionOfRun(run);
    if (!found || ctx.predictions.has(found.entry.id)) continue;
    ctx.predictions.set(found.entry.id, found.entry);
    // One that ended had its webhook told by the server it ended on.
    if (found.webhook && !run.finishedAt) deliverWebhooks(ctx, found.entry, run, found.webhook.url, found.webhook.events);
  }
}
