import { createHmac, randomBytes } from 'node:crypto';

/** What GET /v1/webhooks/default/secret answers: the key webhook receivers check signatures with. */
export interface WebhookSecret {
  readonly key: string;
}

/** A secret in the form the hosted API gives: "whsec_" and 32 random bytes in base64. */
export function newWebhookSecret(): WebhookSecret {
  return { key: `whsec_${randomBytes(32).toString('base64')}` };
}

/**
 * The headers Replicate signs a webhook with: webhook-id, webhook-timestamp (Unix seconds) and
 * webhook-signature "v1,<base64 HMAC-SHA256 of "id.timestamp.body" under the secret's bytes>".
 */
export function webhookHeaders(secret: WebhookSecret, messageId: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const key = Buffer.from(secret.key.split('_').pop()!, 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('hex')}`;
}
