import type { Redis } from 'ioredis';
import { WORKER_KEY_PREFIX } from './queue-names.js';

/**
 * A worker that has not loaded a job's pack yet hands the job back for this long when another
 * worker has it loaded and room for a job: that one, waiting on the same queue, takes it then.
 */
export const HAND_BACK_DELAY_MS = 200;
/** Hand-backs stop this long after the job was queued: then whichever worker takes it runs it, loaded or not. */
export const HAND_BACK_WINDOW_MS = 10_000;

/** The heartbeat fields that say what a worker has loaded and how much room it has. */
export interface WarmthRecord {
  /** The queues' packs (or "auto") whose jobs it ran, so whose model its engine holds, comma-separated. */
  readonly warm: string;
  readonly busy: string;
  readonly concurrency: string;
}

/** Another worker (by its heartbeat) with `pack` loaded and room for a job now, or null. */
export async function idleWarmWorker(redis: Redis, pack: string, self: string): Promise<string | null> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${WORKER_KEY_PREFIX}*`, 'COUNT', 100);
    cursor = next;
    for (const key of keys) {
      const id = key.slice(WORKER_KEY_PREFIX.length);
      if (id === self) continue;
      const record = (await redis.hgetall(key)) as Partial<WarmthRecord>;
      const warm = record.warm ? record.warm.split(',') : [];
      if (warm.includes(pack) && Number(record.busy) < Number(record.concurrency)) return id;
    }
  } while (cursor !== '0');
  return null;
}
