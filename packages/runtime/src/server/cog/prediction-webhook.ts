import type { RunEvent } from '../../executor/index.js';
import type { CogContext } from './context.js';
import type { Prediction } from './prediction-registry.js';
import { CogWebhook } from './webhook.js';

/** Run events that add a line to a prediction's logs. */
function addsLogLine(event: RunEvent): boolean {
  return (
    event.type === 'node-done' || event.type === 'node-cached' || event.type === 'node-error' || (event.type === 'node-progress' && event.phase === 'sampling')
  );
}

/**
 * Reports a prediction to its webhook as Cog does: start when it starts, logs as lines are added
 * (at most every 500 ms), output once the file is there (with status still "processing", as Cog's
 * runner sends a file output before it settles the status), then completed.
 */
export function watchWebhook(ctx: CogContext, prediction: Prediction): void {
  const { request, run } = prediction;
  if (!request.webhook) return;
  const webhook = new CogWebhook({
    url: request.webhook,
    events: request.webhookEvents,
    snapshot: () => ctx.respond(prediction),
    log: ctx.options.log,
    ...(ctx.options.shutdown ? { signal: ctx.options.shutdown } : {}),
  });
  // A run followed again after a restart: what happened before, the earlier server reported.
  const unsubscribe = ctx.options.runs.subscribe(run.id, run.resumedAfterSeq ?? 0, (event) => {
    if (event.type === 'run-start') webhook.start();
    else if (addsLogLine(event)) webhook.logs();
  });
  void run.done.then(async () => {
    unsubscribe();
    const final = await ctx.respond(prediction).catch(() => null);
    const output = final?.output ? { ...final, status: 'processing' as const, completed_at: null, metrics: {} } : null;
    await webhook.complete(output);
  });
}
