import { afterEach, describe, expect, it } from 'vitest';
import { netTimeouts, networkTimeoutOf, NetworkTimeoutError, timedFetch } from '../../src/files/index.js';
import { silentServer, stallingServer, type QuietServer } from '../helpers/quiet-servers.js';

const servers: QuietServer[] = [];
const keep = (server: QuietServer): QuietServer => (servers.push(server), server);
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe('timedFetch', () => {
  it('gives up on a server that accepts the connection and never answers, naming the host and the connect timeout', async () => {
    const server = keep(await silentServer());
    const error = await timedFetch(server.url, {}, { timeouts: { connectMs: 200, idleMs: 60_000 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkTimeoutError);
    expect((error as Error).message).toBe(`connect timeout: ${server.host} did not answer within 0.2 s`);
    expect(server.arrivals).toBe(1);
  });

  it('gives up on a server that sends its headers and then nothing, naming the host and the idle timeout', async () => {
    const server = keep(await stallingServer());
    const response = await timedFetch(server.url, {}, { timeouts: { connectMs: 60_000, idleMs: 200 } });
    expect(response.status).toBe(200);
    const error = await response.arrayBuffer().catch((e: unknown) => e);
    expect(networkTimeoutOf(error)?.message).toBe(`idle timeout: ${server.host} sent nothing for 0.2 s in the middle of its answer`);
  });

  it('gives up in the middle of a body that stops, after the bytes that came', async () => {
    const body = new Uint8Array(4096).fill(7);
    const server = keep(await stallingServer({ body, sendBytes: 1000 }));
    const response = await timedFetch(server.url, {}, { timeouts: { idleMs: 200 } });
    let received = 0;
    const error = await (async () => {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) received += chunk.byteLength;
    })().catch((e: unknown) => e);
    expect(received).toBe(1000);
    expect(networkTimeoutOf(error)?.phase).toBe('idle');
  });

  it('reads a whole answer as fetch does, status, headers and final URL included', async () => {
    const server = keep(
      await stallingServer({
        answer: (req, res) => {
          if (req.url === '/moved') res.writeHead(302, { location: '/here' }).end();
          else res.writeHead(203, { 'x-kind': 'whole' }).end('all of it');
          return true;
        },
      }),
    );
    const response = await timedFetch(`${server.url}/moved`, { redirect: 'follow' }, { timeouts: { connectMs: 5_000, idleMs: 5_000 } });
    expect(response.status).toBe(203);
    expect(response.headers.get('x-kind')).toBe('whole');
    expect(response.url).toBe(`${server.url}/here`);
    expect(await response.text()).toBe('all of it');
  });

  it("the caller's signal cancels with the caller's reason, not a timeout", async () => {
    const server = keep(await silentServer());
    const controller = new AbortController();
    const pending = timedFetch(server.url, {}, { signal: controller.signal, timeouts: { connectMs: 60_000 } }).catch((e: unknown) => e);
    await server.arrival(1);
    controller.abort(new Error('stopped by the caller'));
    const error = await pending;
    expect(networkTimeoutOf(error)).toBeUndefined();
    expect((error as Error).message).toBe('stopped by the caller');
  });
});

describe('netTimeouts', () => {
  it('takes SA3_CONNECT_TIMEOUT_MS and SA3_IDLE_TIMEOUT_MS, ignores values that are not positive numbers, and lets options win', () => {
    expect(netTimeouts({}, {})).toEqual({ connectMs: 30_000, idleMs: 60_000 });
    expect(netTimeouts({}, { SA3_CONNECT_TIMEOUT_MS: '250', SA3_IDLE_TIMEOUT_MS: '1500' })).toEqual({ connectMs: 250, idleMs: 1500 });
    expect(netTimeouts({}, { SA3_CONNECT_TIMEOUT_MS: 'soon', SA3_IDLE_TIMEOUT_MS: '-3' })).toEqual({ connectMs: 30_000, idleMs: 60_000 });
    expect(netTimeouts({ idleMs: 5 }, { SA3_IDLE_TIMEOUT_MS: '1500' })).toEqual({ connectMs: 30_000, idleMs: 5 });
  });
});
