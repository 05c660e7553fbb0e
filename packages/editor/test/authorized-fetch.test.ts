import { describe, expect, it } from 'vitest';
import { authorizingFetch } from '../src/app/authorized-fetch.js';

describe('the authorized fetch', () => {
  it("adds the bearer token to every request, beside the request's own headers", async () => {
    const seen: Headers[] = [];
    const base: typeof fetch = (_input, init) => (seen.push(new Headers(init?.headers)), Promise.resolve(new Response('{}')));
    let token: string | null = null;
    const authorized = authorizingFetch(
      () => token,
      base,
      () => undefined,
    );
    await authorized('/api/models');
    token = 'T';
    await authorized('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(seen[0]!.get('authorization')).toBeNull();
    expect(seen[1]!.get('authorization')).toBe('Bearer T');
    expect(seen[1]!.get('content-type')).toBe('application/json');
  });

  it('reports a 401 and still hands the response back', async () => {
    let refused = 0;
    const authorized = authorizingFetch(
      () => 'wrong',
      () => Promise.resolve(new Response('{}', { status: 401 })),
      () => refused++,
    );
    expect((await authorized('/api/models')).status).toBe(401);
    expect(refused).toBe(1);
  });
});
