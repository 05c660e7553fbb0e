import type { FastifyInstance } from 'fastify';

type Storage = ReturnType<Parameters<FastifyInstance['addConstraintStrategy']>[0]['storage']>;
type Handler = NonNullable<ReturnType<Storage['get']>>;

/** The Cog release whose HTTP protocol these routes follow, as GET / names it (cog_version). */
export const COG_PROTOCOL_VERSION = '0.16.12';

/** The route constraint under which GET / answers Cog's discovery document instead of the editor. */
export const ASKS_FOR_JSON = { cogDiscovery: 'json' } as const;

/**
 * GET / for a client that asks for JSON: Cog's discovery document (http.py's index document),
 * naming the routes this server serves (it has no /docs page and no /shutdown route).
 */
export function discoveryDocument(): Record<string, string> {
  return {
    cog_version: COG_PROTOCOL_VERSION,
    openapi_url: '/openapi.json',
    healthcheck_url: '/health-check',
    predictions_url: '/predictions',
    predictions_idempotent_url: '/predictions/{prediction_id}',
    predictions_cancel_url: '/predictions/{prediction_id}/cancel',
  };
}

/** Whether an Accept header names application/json and not text/html: a program, not a browser. */
export function asksForJson(accept: string | undefined): boolean {
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  return types.includes('application/json') && !types.includes('text/html');
}

/**
 * Lets a route of `app` be reserved to requests that ask for JSON (constraints: ASKS_FOR_JSON);
 * every other request of its method and path goes to the route without the constraint.
 */
export function addJsonConstraint(app: FastifyInstance): void {
  if (app.hasConstraintStrategy('cogDiscovery')) return;
  app.addConstraintStrategy({
    name: 'cogDiscovery',
    storage(): Storage {
      const handlers = new Map<unknown, Handler>();
      return {
        get: (value) => handlers.get(value) ?? null,
        set: (value, handler) => void handlers.set(value, handler),
      };
    },
    deriveConstraint: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const accept = req.headers.accept;
      return asksForJson(Array.isArray(accept) ? accept.join(',') : accept) ? 'json' : '';
    },
    mustMatchWhenDerived: false,
  });
}
