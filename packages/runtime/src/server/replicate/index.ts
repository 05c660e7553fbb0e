export { registerReplicateRoutes } from './routes.js';
export type { ReplicateRoutesOptions } from './context.js';
export { isSignedDownloadRequest } from './signed-url.js';
export { DEFAULT_MODEL } from './server-settings.js';
export { newWebhookSecret, type WebhookSecret } from './webhook-signing.js';
