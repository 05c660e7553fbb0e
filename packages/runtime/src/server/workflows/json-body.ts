import type { FastifyInstance } from 'fastify';
import { firstTooDeep, MAX_JSON_DEPTH } from '@sa3/nodes';
import { prototypeKeyPath } from './prototype-keys.js';

/** How deep a JSON request body may nest: a workflow at the deepest a workflow file may be, inside { "workflow": ... }. */
export const MAX_BODY_DEPTH = MAX_JSON_DEPTH + 1;

/**
 * Parses every application/json body of the server, after checking how deep it nests: a body
 * nested too deep is refused with 400 before it is parsed, so nothing downstream
 * (JSON.stringify, validation) ever walks a structure deep enough to exhaust the stack. A body
 * with a prototype key is refused with a sentence naming it, where Fastify would call it invalid JSON.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    const tooDeep = firstTooDeep(text, MAX_BODY_DEPTH);
    if (tooDeep) {
      const message = `the request body nests arrays and objects deeper than ${MAX_BODY_DEPTH} levels (at line ${tooDeep.line}, column ${tooDeep.column}); no request needs more`;
      done(Object.assign(new Error(message), { statusCode: 400 }), undefined);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Fastify's own parser words empty and malformed bodies; the error handler turns them into sentences.
      void parse(req, text, done);
      return;
    }
    const forbidden = prototypeKeyPath(value);
    if (forbidden) {
      const message = `the request body has the key "${forbidden}"; keys that reach an object's prototype ("__proto__", "constructor.prototype") are refused`;
      done(Object.assign(new Error(message), { statusCode: 400 }), undefined);
      return;
    }
    done(null, value);
  });
}
