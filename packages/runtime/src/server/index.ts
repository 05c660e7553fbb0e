export { startServer, type Sa3Server } from './app.js';
export { defaultServerOptions, type ServerOptions } from './server-options.js';
export { parseRateLimit, type RateLimit } from './rate-limit.js';
export { RunManager, AtCapacityError, type RunRecord } from './run-manager.js';
export { predictionInputSchema } from './cog/input-schema.js';
export { nodeOutputPreview } from './workflows/node-output-preview.js';
