import { timedFetch } from '../../files/index.js';
import type { PredictionResponse, WebhookEvent } from './prediction.js';

/**
 * Delivers a prediction to the client's webhook: a JSON POST, a few tries with backoff, never
 * blocking the prediction itself. A target that does not answer, or stops in the middle of its
 * answer, is given up after SA3_CONNECT_TIMEOUT_MS / SA3_IDLE_TIMEOUT_MS (30 s / 60 s). Failures
 * are logged, not thrown; `signal` (the server shutting down) stops the tries.
 */
export async function sendWebhook(
  url: string,
  event: WebhookEvent,
  filter: readonly WebhookEvent[],
  body: PredictionResponse,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (!filter.includes(event)) return;
  for (let attempt = 1; attempt <= 3 && !signal?.aborted; attempt++) {
    try {
      const response = await timedFetch(
        url,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        signal ? { signal } : {},
      );
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return;
      log(`webhook ${url} answered ${response.status} to the "${event}" event of prediction ${body.id} (try ${attempt} of 3)`);
    } catch (error) {
      if (signal?.aborted) return;
      log(`webhook ${url} could not be reached for the "${event}" event of prediction ${body.id}: ${(error as Error).message} (try ${attempt} of 3)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
}
