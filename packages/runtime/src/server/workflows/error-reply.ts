import type { FastifyReply } from 'fastify';
import type { ErrorBody, Problem } from '@sa3/nodes';

/** Refuses a request of the workflow API: one sentence, and every problem when a workflow is refused. */
export function refuse(reply: FastifyReply, status: number, detail: string, problems?: readonly Problem[]): FastifyReply {
  const body: ErrorBody = problems ? { detail, problems: [...problems] } : { detail };
  return reply.code(status).send(body);
}
