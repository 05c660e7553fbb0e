import type { Redis } from 'ioredis';
import { modelEntrySchema, type ModelEntry } from '@sa3/nodes';
import { WORKER_KEY_PREFIX } from './queue-names.js';

/** What a worker's heartbeat says of each pack it has, as GET /api/models lists packs. */
export type WorkerModel = Omit<ModelEntry, 'auto'>;

/** The heartbeat field that carries a worker's packs with their titles and lengths. */
export const WORKER_MODELS_FIELD = 'models';

export function workerModelsField(models: readonly WorkerModel[]): string {
  return JSON.stringify(models);
}

/** The packs the live workers have, each once (the first worker's description wins); a worker whose field does not read is skipped. */
export async function liveWorkerModels(redis: Redis): Promise<WorkerModel[]> {
  const byId = new Map<string, WorkerModel>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${WORKER_KEY_PREFIX}*`, 'COUNT', 100);
    cursor = next;
    for (const key of keys.sort()) {
      const text = await redis.hget(key, WORKER_MODELS_FIELD);
      let listed: unknown;
      try {
        listed = text ? JSON.parse(text) : null;
      } catch {
        continue;
      }
      if (!Array.isArray(listed)) continue;
      for (const item of listed) {
        const parsed = modelEntrySchema.safeParse(item);
        if (!parsed.success || byId.has(parsed.data.id)) continue;
        const { id, title, objective, maxSeconds } = parsed.data;
        byId.set(id, { id, title, objective, maxSeconds });
      }
    }
  } while (cursor !== '0');
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
