import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header a worker carries its job's token in, on the server's job file routes. */
export const JOB_TOKEN_HEADER = 'x-sa3-job-token';

/** A fresh token for one job: 32 random bytes, hex. */
export function newJobToken(): string {
  return randomBytes(32).toString('hex');
}

/** What the server keeps of a token to check it against: its sha256, of fixed length, so the comparison takes the same time whatever is sent. */
export function jobTokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Whether `token` is the one whose digest was kept, compared in constant time. */
export function jobTokenMatches(digest: string, token: string): boolean {
  const expected = Buffer.from(digest, 'hex');
  const given = createHash('sha256').update(token).digest();
  return expected.length === given.length && timingSafeEqual(expected, given);
}
