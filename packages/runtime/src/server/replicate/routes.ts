import type { FastifyError, FastifyInstance } from 'fastify';
import { formatBytes } from '../../files/index.js';
import { registerTolerantJsonParser } from './body-parsers.js';
import { ReplicateContext, type ReplicateRoutesOptions } from './context.js';
import { sendError } from './error-reply.js';
import { registerFileRoutes } from './file-routes.js';
import { registerModelRoutes } from './model-routes.js';
import { registerPredictionRoutes } from './prediction-routes.js';
import { resumePredictions } from './prediction-resumption.js';
import { checkModelName, checkPublicUrl, DEFAULT_MODEL } from './server-settings.js';

/**
 * Replicate's hosted HTTP API under /v1, for the one model this server runs: Replicate's
 * JavaScript and Python clients work against it by changing only their base URL. Every error
 * is answered in the hosted API's shape, {"title", "detail", "status"}. Throws when the model
 * name or the public URL is malformed.
 */
export function registerReplicateRoutes(app: FastifyInstance, options: ReplicateRoutesOptions): void {
  const model = checkModelName(options.model ?? DEFAULT_MODEL);
  const publicUrl = options.publicUrl === undefined ? null : checkPublicUrl(options.publicUrl);
  const ctx = new ReplicateContext(options, model, publicUrl);
  resumePredictions(ctx);

  void app.register(
    (scope, _opts, done) => {
      registerTolerantJsonParser(scope);
      scope.setErrorHandler((error: FastifyError, req, reply) => {
        if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
          const upload = req.url.split('?')[0] === '/v1/files';
          return sendError(
            reply,
            413,
            `the ${upload ? 'upload' : 'request body'} is larger than the ${formatBytes(upload ? options.uploadLimitBytes : (scope.initialConfig.bodyLimit ?? 0))} this server accepts`,
          );
        }
        if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
          return sendError(
            reply,
            415,
            `the body's Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')} is not one this route reads; send application/json`,
          );
        if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError)
          return sendError(reply, 400, `the request body is not valid JSON: ${error.message}`);
        if (error.statusCode && error.statusCode < 500) return sendError(reply, error.statusCode, error.message);
        options.log(`internal error on ${req.method} ${req.url}: ${error.stack ?? error.message}`);
        return sendError(reply, 500, `internal error: ${error.message}`);
      });
      scope.setNotFoundHandler((req, reply) => sendError(reply, 404, `there is nothing at ${req.method} ${req.url.split('?')[0]}`));
      scope.addHook('onClose', (_instance, closed) => {
        ctx.closing.abort();
        closed();
      });
      registerModelRoutes(scope, ctx);
      registerPredictionRoutes(scope, ctx);
      registerFileRoutes(scope, ctx);
      done();
    },
    { prefix: '/v1' },
  );
}
