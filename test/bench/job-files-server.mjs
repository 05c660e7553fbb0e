// The server side of a job's file transfer for a bench: its own redis-server, the JobFiles of the
// runtime and their HTTP routes on a free port; null where redis-server is not installed.
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { startBenchRedis } from './bench-redis.mjs';

const dist = new URL('../../packages/runtime/dist/', import.meta.url);
const { JobFiles } = await import(new URL('queue/job-files.js', dist).href);
const { registerJobFileRoutes } = await import(new URL('server/job-file-routes.js', dist).href);

export async function startJobFilesServer() {
  const redisServer = await startBenchRedis();
  if (!redisServer) return null;
  const app = Fastify({ logger: false });
  const redis = new Redis({ host: '127.0.0.1', port: redisServer.port });
  try {
    const files = new JobFiles(redis, undefined);
    registerJobFileRoutes(app, files);
    files.serveAt(await app.listen({ host: '127.0.0.1', port: 0 }));
    return {
      /** Scratch space, removed by close(). */
      dir: redisServer.dir,
      redis,
      files,
      close: async () => {
        await app.close();
        redis.disconnect();
        redisServer.stop();
      },
    };
  } catch (error) {
    await app.close();
    redis.disconnect();
    redisServer.stop();
    throw error;
  }
}
