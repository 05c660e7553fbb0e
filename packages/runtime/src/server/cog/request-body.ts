import { pipeline, Transform } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { pythonJsonDecodeError } from './json-decode-error.js';

/** One entry of FastAPI's 422 for a body it cannot decode as JSON. */
export interface JsonInvalidError {
  readonly type: 'json_invalid';
  readonly loc: readonly ['body', number];
  readonly msg: 'JSON decode error';
  readonly input: Record<string, never>;
  readonly ctx: { readonly error: string };
}

const texts = new WeakMap<FastifyRequest, Buffer[]>();

/**
 * Request bodies of the Cog routes read as FastAPI reads them under Cog: a body without bytes is
 * no body, whatever its Content-Type says (FastAPI decodes a body only when it has bytes), so a
 * cancel sent with Content-Type: application/json and nothing else is accepted. A JSON body is
 * kept until its request ends, so one that does not decode can be answered with where it goes
 * wrong. The server's own JSON parser still reads every body (depth and key checks included).
 */
export function readBodiesAsCog(scope: FastifyInstance): void {
  scope.addHook('preParsing', async (req, _reply, payload) => {
    const { headers } = req;
    if (headers['transfer-encoding'] === undefined && (headers['content-length'] === undefined || headers['content-length'] === '0')) {
      delete headers['content-type'];
      return payload;
    }
    if (!/json/i.test(headers['content-type'] ?? '')) return payload;
    const chunks: Buffer[] = [];
    texts.set(req, chunks);
    const keep = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done(null, chunk);
      },
    });
    return pipeline(payload, keep, () => undefined);
  });
}

/** Whether the server's parser refused the body as not JSON. */
export function isJsonSyntaxError(error: FastifyError): boolean {
  return error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError;
}

/** FastAPI's account of a body that is not JSON: the character it stops at and Python's reason. */
export function jsonInvalidError(req: FastifyRequest): JsonInvalidError {
  const text = Buffer.concat(texts.get(req) ?? []).toString('utf8');
  let found = pythonJsonDecodeError(text);
  if (!found) {
    // Python reads it (NaN, Infinity), JavaScript does not: say what JavaScript says.
    try {
      JSON.parse(text);
    } catch (error) {
      found = { pos: 0, msg: (error as Error).message };
    }
  }
  return { type: 'json_invalid', loc: ['body', found?.pos ?? 0], msg: 'JSON decode error', input: {}, ctx: { error: found?.msg ?? 'Expecting value' } };
}
