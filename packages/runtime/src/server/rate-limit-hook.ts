import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendError } from './replicate/error-reply.js';
import { refuse } from './workflows/error-reply.js';
import { RateLimiter, type RateLimit } from './rate-limit.js';

export interface RateLimitHookOptions {
  readonly limit: RateLimit;
  /** The server asks for a bearer token: clients are told apart by it, else by their address. */
  readonly token: boolean;
  /** The requests that count: those that start work. */
  readonly counts: (method: string, path: string) => boolean;
  readonly now?: () => number;
}

function clientOf(req: FastifyRequest, token: boolean): { key: string; who: string } {
  return token ? { key: `token ${req.headers.authorization ?? ''}`, who: 'this token' } : { key: `address ${req.ip}`, who: `this address (${req.ip})` };
}

/**
 * sa3 serve --rate-limit: a request over the limit gets 429 with Retry-After (whole seconds) and one
 * sentence, in Replicate's error shape under /v1 and as {"detail"} (Cog's and the workflow API's) elsewhere.
 */
export function addRateLimit(app: FastifyInstance, options: RateLimitHookOptions): void {
  const limiter = new RateLimiter(options.limit, options.now);
  const { count, per, text } = options.limit;
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (!options.counts(req.method, path)) return;
    const { key, who } = clientOf(req, options.token);
    const waitMs = limiter.take(key);
    if (waitMs === 0) return;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const sentence = `${who} has made ${count} request${count === 1 ? '' : 's'} that start work in the last ${per}, the most this server allows (--rate-limit ${text}); retry in ${seconds} s`;
    reply.header('retry-after', String(seconds));
    return path.startsWith('/v1/') ? sendError(reply, 429, sentence, 'Request was throttled') : refuse(reply, 429, sentence);
  });
}
