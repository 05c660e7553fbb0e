import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { predictionStatus } from '../cog/prediction.js';
import { outputFileId, type ReplicateContext } from './context.js';
import { sendError } from './error-reply.js';
import { fileObject } from './file-store.js';
import { readFileUpload } from './multipart-upload.js';
import { pageSizeOf, paginate } from './pagination.js';

interface IdParams {
  id: string;
}

const OUTPUT_SUFFIX = '-output';

/** POST/GET /v1/files, GET/DELETE /v1/files/{id}, and GET /v1/files/{id}/download (signed links, outputs too). */
export function registerFileRoutes(scope: FastifyInstance, ctx: ReplicateContext): void {
  const limit = ctx.options.uploadLimitBytes;
  const noFile = (reply: FastifyReply, id: string): FastifyReply => sendError(reply, 404, `there is no file "${id.slice(0, 100)}" on this server`);

  scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: limit }, (_req, body, done) => done(null, body));

  scope.post('/files', { bodyLimit: limit }, async (req, reply) => {
    const type = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data/i.test(type) || !Buffer.isBuffer(req.body))
      return sendError(
        reply,
        415,
        `a file is uploaded as multipart/form-data with a file part named "content", not as ${type.split(';')[0] || 'a body without a type'}`,
      );
    const upload = await readFileUpload(req.body, type);
    if ('error' in upload) return sendError(reply, 422, upload.error);
    const file = await ctx.files.add(upload.bytes, upload.name, upload.contentType, upload.metadata);
    return reply.code(201).send(fileObject(file, ctx.baseOf(req)));
  });

  scope.get('/files', async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const size = pageSizeOf(query.page_size);
    if (typeof size === 'object') return sendError(reply, 400, size.error);
    const base = ctx.baseOf(req);
    const page = paginate(
      ctx.files.list(),
      (f) => `${f.created_at}|${f.id}`,
      query.cursor,
      (cursor) => `${base}/v1/files?cursor=${cursor}${query.page_size !== undefined ? `&page_size=${size}` : ''}`,
      size,
    );
    if ('error' in page) return sendError(reply, 400, page.error);
    return { ...page, results: page.results.map((f) => fileObject(f, base)) };
  });

  scope.get<{ Params: IdParams }>('/files/:id', async (req, reply) => {
    const file = ctx.files.get(req.params.id);
    return file ? fileObject(file, ctx.baseOf(req)) : noFile(reply, req.params.id);
  });

  scope.delete<{ Params: IdParams }>('/files/:id', async (req, reply) =>
    (await ctx.files.delete(req.params.id)) ? reply.code(204).send() : noFile(reply, req.params.id),
  );

  scope.get<{ Params: IdParams; Querystring: { expiry?: string; signature?: string } }>('/files/:id/download', async (req, reply) => {
    const { id } = req.params;
    const { expiry, signature } = req.query;
    const token = ctx.options.token;
    if (token === undefined || req.headers.authorization !== `Bearer ${token}`) {
      // Without the server's bearer token, only a signed, unexpired link works.
      const check = ctx.signer.check(id, expiry, signature);
      if (!check.ok) {
        const why = {
          missing: 'this link carries no signature; use the signed URL the server gave, or send the bearer token',
          expired: 'this link has expired; fetch the prediction again for a fresh one',
          forged: "this link's signature is not valid for this file; use the URL exactly as the server gave it",
        }[check.reason];
        return sendError(reply, 403, why);
      }
    }
    let path: string;
    let mime: string;
    let name: string;
    const file = ctx.files.get(id);
    if (file) {
      [path, mime, name] = [ctx.files.pathOf(file), file.content_type, file.name];
    } else {
      const found = id.endsWith(OUTPUT_SUFFIX) ? ctx.find(id.slice(0, -OUTPUT_SUFFIX.length)) : undefined;
      const output = found && predictionStatus(found.run) === 'succeeded' ? found.run.report?.outputs[0] : undefined;
      if (!found || !output || outputFileId(found.entry.id) !== id) return noFile(reply, id);
      [path, mime, name] = [output.absolutePath, output.mime, output.path.split('/').pop()!];
    }
    const info = await stat(path).catch(() => null);
    if (!info) return noFile(reply, id);
    return reply
      .header('content-type', mime)
      .header('content-length', info.size)
      .header('content-disposition', `attachment; filename="${name.replace(/["\\\r\n]/g, '_')}"`)
      .send(createReadStream(path));
  });
}
