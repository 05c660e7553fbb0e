/**
 * Servers on 127.0.0.1 that go quiet: one accepts connections and never answers, one answers
 * with headers (and optionally the start of a body) and then sends nothing more. Each tells when
 * a request has reached it, so tests wait for that instead of timing anything. Node built-ins
 * only, so the CLI tests can use them too.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';

export interface QuietServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** 127.0.0.1:<port>, as timeout sentences name it. */
  readonly host: string;
  /** How many connections (or requests) have reached it. */
  readonly arrivals: number;
  /** Resolves when the next connection (or request) arrives, or at once if `count` have already. */
  arrival(count?: number): Promise<void>;
  close(): Promise<void>;
}

function tracker() {
  let arrivals = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  return {
    get arrivals() {
      return arrivals;
    },
    arrived() {
      arrivals++;
      for (const w of waiting.splice(0)) {
        if (arrivals >= w.count) w.resolve();
        else waiting.push(w);
      }
    },
    arrival(count = arrivals + 1): Promise<void> {
      return arrivals >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }));
    },
  };
}

/** A server listening on a free port of 127.0.0.1 whose close() also ends the connections still open. */
export async function listenOnLoopback(server: NetServer): Promise<{ url: string; host: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function quietServer(listening: { url: string; host: string; close: () => Promise<void> }, track: ReturnType<typeof tracker>): QuietServer {
  return {
    ...listening,
    get arrivals() {
      return track.arrivals;
    },
    arrival: (count) => track.arrival(count),
  };
}

/** Accepts every connection and never sends a byte. */
export async function silentServer(): Promise<QuietServer> {
  const track = tracker();
  // Counted once the request has come in, so "arrived" means the client is waiting for an answer.
  const server = createTcpServer((socket) => socket.once('data', () => track.arrived()));
  return quietServer(await listenOnLoopback(server), track);
}

/**
 * Answers each request through `answer` when it returns true (a whole answer); otherwise sends
 * `status` with `headers` and the first bytes of `body` (none by default), and then nothing more.
 */
export async function stallingServer(
  options: {
    status?: number;
    headers?: Record<string, string>;
    body?: Uint8Array;
    sendBytes?: number;
    answer?: (req: IncomingMessage, res: ServerResponse) => boolean;
  } = {},
): Promise<QuietServer> {
  const track = tracker();
  const server = createHttpServer((req, res) => {
    req.resume();
    if (options.answer?.(req, res)) return;
    const body = options.body ?? new Uint8Array(1024);
    res.writeHead(options.status ?? 200, { 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength), ...options.headers });
    res.flushHeaders();
    const start = body.subarray(0, options.sendBytes ?? 0);
    if (start.byteLength > 0) res.write(start, () => track.arrived());
    else track.arrived();
  });
  return quietServer(await listenOnLoopback(server), track);
}

/**
 * A hub that answers the revision of any repo, then sends the first 20 bytes of a file list and
 * nothing more: what a pull meets when the hub stalls in the middle of an answer.
 */
export function stallingFileListHub(): Promise<QuietServer> {
  return stallingServer({
    answer: (req, res) => {
      if (!req.url?.includes('/revision/')) return false;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sha: 'a'.repeat(40) }));
      return true;
    },
    headers: { 'content-type': 'application/json' },
    body: new TextEncoder().encode('[{"type":"file","path":"onnx/sa3-sm-music/dit.onnx","size":12}]'),
    sendBytes: 20,
  });
}
