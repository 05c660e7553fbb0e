import type { FastifyInstance } from 'fastify';
import { firstTooDeep, MAX_JSON_DEPTH } from '@sa3/nodes';

/**
 * JSON bodies of the /v1 routes: as the server parses them everywhere (refused when nested
 * deeper than any request needs), except that an empty body is no body, as Replicate's
 * clients send with Content-Type: application/json on cancel and other POSTs without data.
 */
export function registerTolerantJsonParser(scope: FastifyInstance): void {
  const parse = scope.getDefaultJsonParser('error', 'error');
  if (scope.hasContentTypeParser('application/json')) scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    const tooDeep = firstTooDeep(text, MAX_JSON_DEPTH + 1);
    if (tooDeep) {
      done(
        Object.assign(
          new Error(`the request body nests arrays and objects deeper than ${MAX_JSON_DEPTH + 1} levels (at line ${tooDeep.line}, column ${tooDeep.column})`),
          {
            statusCode: 400,
          },
        ),
        undefined,
      );
      return;
    }
    void parse(req, text, done);
  });
}
