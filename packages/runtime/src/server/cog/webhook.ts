import type { PredictionResponse, WebhookEvent } from './prediction.js';

/**
 * Delivers a prediction to the client's webhook: a JSON POST, a few tries with backoff, never
 * blocking the prediction itself. Failures are logged, not thrown.
 */
export async function sendWebhook(
  url: string,
  event: WebhookEvent,
  filter: readonly WebhookEvent[],
  body: PredictionResponse,
  log: (line: string) => void,
): Promise<void> {
  if (!filter.includes(event)) return;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) return;
      log(`webhook ${url} answered ${response.status} to the "${event}" event of prediction ${body.id} (try ${attempt} of 3)`);
    } catch (error) {
      log(`webhook ${url} could not be reached for the "${event}" event of prediction ${body.id}: ${(error as Error).message} (try ${attempt} of 3)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
}
