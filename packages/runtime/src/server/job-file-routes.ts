import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { JobFiles } from '../queue/index.js';
import { refuse } from './workflows/error-reply.js';

const JOB_FILE_PATH = /^\/api\/jobs\/[^/]+\/(inputs|outputs|previews)\/[^/]+$/;

/**
 * Requests of sa3 worker processes for a job's files: they carry the job's own token instead of
 * the server's bearer token (which workers are not given).
 */
export function isJobFileRequest(path: string): boolean {
  return JOB_FILE_PATH.test(path);
}

/**
 * With --redis: the routes through which workers on other machines fetch the uploads a job reads
 * and put back its outputs and the previews of its nodes' outputs (no shared folder), each
 * answered only with that job's token.
 */
export function registerJobFileRoutes(app: FastifyInstance, files: JobFiles): void {
  app.get<{ Params: { job: string; id: string } }>('/api/jobs/:job/inputs/:id', async (req, reply) => {
    const found = await files.input(req.params.job, req.params.id, req.headers);
    if ('sentence' in found) return refuse(reply, found.status, found.sentence);
    return reply.header('content-type', 'application/octet-stream').header('content-length', found.bytes).send(createReadStream(found.path));
  });

  app.register((scope, _options, done) => {
    // Outputs stream to disk: the body is never held in memory; JobFiles bounds its size.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { bodyLimit: Number.MAX_SAFE_INTEGER }, (_req, payload, parsed) => parsed(null, payload));
    for (const kind of ['outputs', 'previews'] as const)
      scope.put<{ Params: { job: string; index: string } }>(`/api/jobs/:job/${kind}/:index`, async (req, reply) => {
        const stored = await files.putOutput(req.params.job, req.params.index, req.headers, req.body as Readable, kind);
        if ('sentence' in stored) return refuse(reply, stored.status, stored.sentence);
        return reply.code(201).send({ bytes: stored.bytes });
      });
    done();
  });
}
