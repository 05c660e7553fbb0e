import type { z } from 'zod';

/** A payload that does not match the contract: the server and its client are most likely different versions. */
export class PayloadError extends Error {
  constructor(
    message: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

function where(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the top level';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** The schema of a payload whose parsed value is T; lets clients name schemas without importing zod. */
export type PayloadSchema<T> = z.ZodType<T>;

/**
 * Checks what the server sent against its schema. `source` says where it came from
 * ("GET /api/models"), so the one sentence thrown names the request and the field at fault.
 */
export function parsePayload<T>(schema: PayloadSchema<T>, value: unknown, source: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0]!;
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  throw new PayloadError(
    `the answer to ${source} is not what this version of sa3 expects: ${where(first.path)}: ${first.message}${more}; are the server and this client the same version?`,
    result.error.issues,
  );
}
