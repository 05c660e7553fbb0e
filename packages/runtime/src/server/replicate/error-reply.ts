import type { FastifyReply } from 'fastify';

/** One invalid input field, as the hosted API lists them beside a 422. */
export interface InvalidField {
  readonly type: string;
  readonly field: string;
  readonly description: string;
}

/** An error as Replicate's hosted API answers it: a short title, one sentence of detail, the status. */
export interface ReplicateError {
  readonly title: string;
  readonly detail: string;
  readonly status: number;
  readonly invalid_fields?: readonly InvalidField[];
}

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable entity',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function replicateError(status: number, detail: string, title?: string, invalidFields?: readonly InvalidField[]): ReplicateError {
  return { title: title ?? titles[status] ?? 'Error', detail, status, ...(invalidFields ? { invalid_fields: invalidFields } : {}) };
}

/** Answers with Replicate's error shape (application/problem+json, as the hosted API does). */
export function sendError(reply: FastifyReply, status: number, detail: string, title?: string, invalidFields?: readonly InvalidField[]): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(replicateError(status, detail, title, invalidFields)));
}
