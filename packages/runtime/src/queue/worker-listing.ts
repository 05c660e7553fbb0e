import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES_KEY, WORKER_KEY_PREFIX } from './queue-names.js';
import { connectionOptions, type RedisAddress } from './redis-url.js';

export interface WorkerListing {
  readonly workers: readonly { id: string; host: string; pid: number; packs: string[]; loaded: string[]; busy: number; done: number }[];
  readonly queues: readonly { name: string; waiting: number; active: number; failed: number; completed: number }[];
}

/** `sa3 workers`: the workers whose heartbeat is fresh, and how many jobs each queue holds. */
export async function listWorkers(address: RedisAddress): Promise<WorkerListing> {
  const redis = new Redis({ ...connectionOptions(address), maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  let refusal = '';
  redis.on('error', (error: Error) => (refusal ||= error.message));
  try {
    // ioredis rejects with "Connection is closed."; the error event said why.
    await redis.connect().catch((error: Error) => {
      throw new Error(refusal || error.message);
    });
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${WORKER_KEY_PREFIX}*`, 'COUNT', 100);
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    const workers = [];
    for (const key of keys.sort()) {
      const r = await redis.hgetall(key);
      if (!r.host) continue;
      workers.push({
        id: key.slice(WORKER_KEY_PREFIX.length),
        host: r.host,
        pid: Number(r.pid),
        packs: r.packs ? r.packs.split(',') : [],
        // The packs (or "auto") of the jobs it ran: jobs for them prefer it.
        loaded: r.warm ? r.warm.split(',') : [],
        busy: Number(r.busy),
        done: Number(r.done),
      });
    }
    const queues = [];
    for (const name of (await redis.smembers(QUEUES_KEY)).sort()) {
      const queue = new Queue(name, { connection: redis });
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed', 'completed');
      queues.push({
        name,
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
        active: counts.active ?? 0,
        failed: counts.failed ?? 0,
        completed: counts.completed ?? 0,
      });
      await queue.close();
    }
    return { workers, queues };
  } finally {
    redis.disconnect();
  }
}
