import { timedFetch } from '../../files/index.js';
import type { PredictionObject } from './prediction-object.js';
import { newMessageId, webhookHeaders, type WebhookSecret } from './webhook-signing.js';

export type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = ['start', 'output', 'logs', 'completed'];

/** Logs events are sent at most this often, as the hosted API does. */
export const LOGS_INTERVAL_MS = 500;
/** Tries of a completed event (the only one retried); the others are tried once. */
const COMPLETED_TRIES = 4;

export interface WebhookDeliveryOptions {
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  readonly secret: () => WebhookSecret;
  /** The prediction as it is now. */
  readonly snapshot: () => Promise<PredictionObject>;
  readonly log: (line: string) => void;
  /** Aborted when the server shuts down: deliveries still trying stop. */
  readonly signal: AbortSignal;
}

/**
 * The webhook of one prediction: events are signed as Replicate signs them and sent one after
 * another, in the order they happened, never two at once; logs at most every 500 ms; only the
 * completed event is retried.
 */
export class WebhookDelivery {
  private chain: Promise<void> = Promise.resolve();
  private logsTimer: NodeJS.Timeout | null = null;
  private lastLogsAt = -Infinity;
  private ended = false;
  private logsStopped = false;

  constructor(private readonly options: WebhookDeliveryOptions) {}

  start(): void {
    this.enqueue('start');
  }

  /** New log lines: sent now, or once LOGS_INTERVAL_MS has passed since the last logs event. */
  logs(): void {
    if (this.ended || this.logsStopped || this.logsTimer || !this.options.events.includes('logs')) return;
    const wait = Math.max(0, this.lastLogsAt + LOGS_INTERVAL_MS - Date.now());
    this.logsTimer = setTimeout(() => {
      this.logsTimer = null;
      this.lastLogsAt = Date.now();
      this.enqueue('logs');
    }, wait);
  }

  /** The run has ended (its status is being settled): no logs event after this; completed carries the rest. */
  stopLogs(): void {
    if (this.logsTimer) clearTimeout(this.logsTimer);
    this.logsTimer = null;
    this.logsStopped = true;
  }

  /** The prediction is over: its output (when it has one), then completed; nothing after. Resolves once delivered or given up. */
  complete(hasOutput: boolean): Promise<void> {
    this.stopLogs();
    if (hasOutput) this.enqueue('output');
    this.enqueue('completed');
    this.ended = true;
    return this.chain;
  }

  private enqueue(event: WebhookEvent): void {
    if (this.ended || !this.options.events.includes(event)) return;
    // The body is taken when the event happens, so each delivery says what was true then.
    const body = this.options.snapshot();
    this.chain = this.chain.then(() => this.deliver(event, body));
  }

  private async deliver(event: WebhookEvent, snapshot: Promise<PredictionObject>): Promise<void> {
    const { url, signal, log } = this.options;
    const prediction = await snapshot.catch(() => null);
    if (!prediction) return;
    const body = JSON.stringify(prediction);
    const messageId = newMessageId();
    const tries = event === 'completed' ? COMPLETED_TRIES : 1;
    for (let attempt = 1; attempt <= tries && !signal.aborted; attempt++) {
      try {
        const response = await timedFetch(
          url,
          { method: 'POST', headers: { 'content-type': 'application/json', ...webhookHeaders(this.options.secret(), messageId, body) }, body },
          { signal },
        );
        await response.body?.cancel().catch(() => undefined);
        if (response.ok) return;
        log(`webhook ${url} answered ${response.status} to the "${event}" event of prediction ${prediction.id} (try ${attempt} of ${tries})`);
      } catch (error) {
        if (signal.aborted) return;
        log(
          `webhook ${url} could not be reached for the "${event}" event of prediction ${prediction.id}: ${(error as Error).message} (try ${attempt} of ${tries})`,
        );
      }
      if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}
