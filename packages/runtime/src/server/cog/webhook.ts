import { timedFetch } from '../../files/index.js';
import type { PredictionResponse, WebhookEvent } from './prediction.js';

/** Logs events at most this often, as Cog sends them (its webhook throttle, COG_THROTTLE_RESPONSE_INTERVAL). */
export const LOGS_INTERVAL_MS = 500;
/** Tries of the completed event, the only one Cog retries; the others are sent once and their failures only logged. */
const COMPLETED_TRIES = 3;

export interface CogWebhookOptions {
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  /** The prediction as it is now. */
  readonly snapshot: () => Promise<PredictionResponse>;
  readonly log: (line: string) => void;
  /** Aborted when the server shuts down: deliveries still trying stop. */
  readonly signal?: AbortSignal;
}

/**
 * The webhook of one Cog prediction: start, logs (at most every 500 ms, the last ones held back
 * until then), output once it exists, then completed, each a JSON POST of the prediction as it
 * was when the event happened, sent one after another in that order and never two at once. A
 * target that does not answer is given up after SA3_CONNECT_TIMEOUT_MS / SA3_IDLE_TIMEOUT_MS;
 * nothing here blocks the prediction itself.
 */
export class CogWebhook {
  private chain: Promise<void> = Promise.resolve();
  private logsTimer: NodeJS.Timeout | null = null;
  private lastSentAt = -Infinity;
  private ended = false;

  constructor(private readonly options: CogWebhookOptions) {}

  start(): void {
    this.enqueue('start');
  }

  /** New log lines: sent now, or once LOGS_INTERVAL_MS has passed since the last event sent before completed. */
  logs(): void {
    if (this.ended || this.logsTimer || !this.options.events.includes('logs')) return;
    const wait = Math.max(0, this.lastSentAt + LOGS_INTERVAL_MS - Date.now());
    this.logsTimer = setTimeout(() => {
      this.logsTimer = null;
      this.enqueue('logs');
    }, wait);
  }

  /** The prediction is over: output first when it has one (still "processing", as Cog sends it), then completed. */
  complete(output: PredictionResponse | null): Promise<void> {
    if (this.logsTimer) clearTimeout(this.logsTimer);
    this.logsTimer = null;
    if (output) this.enqueue('output', Promise.resolve(output));
    this.enqueue('completed');
    this.ended = true;
    return this.chain;
  }

  private enqueue(event: WebhookEvent, body = this.options.snapshot()): void {
    if (this.ended || !this.options.events.includes(event)) return;
    if (event !== 'completed') this.lastSentAt = Date.now();
    this.chain = this.chain.then(() => this.deliver(event, body));
  }

  private async deliver(event: WebhookEvent, snapshot: Promise<PredictionResponse>): Promise<void> {
    const { url, signal, log } = this.options;
    const body = await snapshot.catch(() => null);
    if (!body) return;
    const tries = event === 'completed' ? COMPLETED_TRIES : 1;
    for (let attempt = 1; attempt <= tries && !signal?.aborted; attempt++) {
      try {
        const response = await timedFetch(
          url,
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
          signal ? { signal } : {},
        );
        await response.body?.cancel().catch(() => undefined);
        if (response.ok) return;
        log(`webhook ${url} answered ${response.status} to the "${event}" event of prediction ${body.id} (try ${attempt} of ${tries})`);
      } catch (error) {
        if (signal?.aborted) return;
        log(`webhook ${url} could not be reached for the "${event}" event of prediction ${body.id}: ${(error as Error).message} (try ${attempt} of ${tries})`);
      }
      if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
