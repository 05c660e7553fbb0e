import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseRateLimit, RateLimiter } from '../../src/server/rate-limit.js';
import { addRateLimit } from '../../src/server/rate-limit-hook.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('--rate-limit values', () => {
  it.each([
    ['30/min', 30, 60_000, 'minute'],
    ['30/minute', 30, 60_000, 'minute'],
    ['1/s', 1, 1000, 'second'],
    ['5/SEC', 5, 1000, 'second'],
    ['1000/hour', 1000, 3_600_000, 'hour'],
    [' 2/h ', 2, 3_600_000, 'hour'],
  ])('%j is %i per %i ms', (text, count, windowMs, per) => {
    expect(parseRateLimit(text)).toEqual({ count, windowMs, per, text: text.trim() });
  });

  it.each(['0/min', '-1/min', '1.5/min', '30', '30/', '/min', '30/fortnight', '30/constructor', '30 per min', '99999999999999999999/min'])(
    'refuses %j in one sentence naming the flag',
    (text) => {
      expect(() => parseRateLimit(text)).toThrow(
        new RangeError(`--rate-limit must be N/second, N/minute or N/hour with N a whole number above 0, such as 30/min, got "${text}"`),
      );
    },
  );
});

describe('the sliding window', () => {
  it('lets N requests through in any window and tells the N+1st how long until the oldest leaves it', () => {
    const time = clock();
    const limiter = new RateLimiter(parseRateLimit('3/min'), time.now);
    expect(limiter.take('a')).toBe(0);
    time.advance(10_000);
    expect(limiter.take('a')).toBe(0);
    time.advance(10_000);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(40_000);
    time.advance(39_999);
    expect(limiter.take('a')).toBe(1);
    time.advance(1);
    // The first request (at 0) has left the window; the one at 10 s is now the oldest.
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(10_000);
  });

  it('does not count refused requests: a client that keeps asking gets in as soon as one would', () => {
    const time = clock();
    const limiter = new RateLimiter(parseRateLimit('1/s'), time.now);
    expect(limiter.take('a')).toBe(0);
    for (let i = 0; i < 9; i++) {
      time.advance(100);
      expect(limiter.take('a')).toBe(900 - i * 100);
    }
    time.advance(100);
    expect(limiter.take('a')).toBe(0);
  });

  it('counts each client on its own', () => {
    const time = clock();
    const limiter = new RateLimiter(parseRateLimit('2/min'), time.now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 60_000]);
    expect([limiter.take('b'), limiter.take('b'), limiter.take('b')]).toEqual([0, 0, 60_000]);
  });

  it('forgets the clients with nothing left in the window once a window has passed', () => {
    const time = clock();
    const limiter = new RateLimiter(parseRateLimit('5/min'), time.now);
    for (let i = 0; i < 100; i++) limiter.take(`address ${i}`);
    expect(limiter.clients).toBe(100);
    time.advance(30_000);
    limiter.take('late');
    expect(limiter.clients).toBe(101);
    time.advance(30_000);
    limiter.take('later');
    // The 100 had their only request 60 s ago: out of the window, so forgotten.
    expect(limiter.clients).toBe(2);
  });
});

describe('the 429 a server answers over the limit', () => {
  const counted = (method: string, path: string): boolean => method === 'POST' && !path.endsWith('/cancel');
  const app = async (token: boolean) => {
    const time = clock();
    const server = Fastify();
    addRateLimit(server, { limit: parseRateLimit('2/min'), token, counts: counted, now: time.now });
    server.post('/*', () => ({ ok: true }));
    server.get('/*', () => ({ ok: true }));
    await server.ready();
    return { server, time };
  };

  it("answers Replicate's error shape under /v1 and {detail} elsewhere, with Retry-After in whole seconds", async () => {
    const { server, time } = await app(false);
    for (let i = 0; i < 2; i++) expect((await server.inject({ method: 'POST', url: '/v1/predictions' })).statusCode).toBe(200);
    time.advance(1500);
    const v1 = await server.inject({ method: 'POST', url: '/v1/predictions' });
    expect(v1.statusCode).toBe(429);
    expect(v1.headers['retry-after']).toBe('59');
    expect(v1.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const sentence =
      'this address (127.0.0.1) has made 2 requests that start work in the last minute, the most this server allows (--rate-limit 2/min); retry in 59 s';
    expect(JSON.parse(v1.body)).toEqual({ title: 'Request was throttled', detail: sentence, status: 429 });
    const cog = await server.inject({ method: 'POST', url: '/predictions' });
    expect(cog.statusCode).toBe(429);
    expect(cog.headers['retry-after']).toBe('59');
    expect(JSON.parse(cog.body)).toEqual({ detail: sentence });
    // What does not start work is never refused.
    expect((await server.inject({ method: 'GET', url: '/predictions/x' })).statusCode).toBe(200);
    expect((await server.inject({ method: 'POST', url: '/predictions/x/cancel' })).statusCode).toBe(200);
    time.advance(58_500);
    expect((await server.inject({ method: 'POST', url: '/api/runs' })).statusCode).toBe(200);
    await server.close();
  });

  it('tells clients apart by their token where the server has one', async () => {
    const { server } = await app(true);
    const post = (token: string) => server.inject({ method: 'POST', url: '/api/runs', headers: { authorization: `Bearer ${token}` } });
    expect([(await post('a')).statusCode, (await post('a')).statusCode, (await post('a')).statusCode]).toEqual([200, 200, 429]);
    expect(JSON.parse((await post('a')).body)).toEqual({
      detail: 'this token has made 2 requests that start work in the last minute, the most this server allows (--rate-limit 2/min); retry in 60 s',
    });
    expect((await post('b')).statusCode).toBe(200);
    await server.close();
  });
});
