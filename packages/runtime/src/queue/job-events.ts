import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunEvent } from '../executor/index.js';

/**
 * Every event a job's attempts emitted, in order, as a Redis list. Job progress in BullMQ keeps
 * only the latest value, and its events stream is shared by every job of a queue and capped, so
 * a server that was down while a job ran could not get back what it missed from either. A list
 * per job grows only with that job, is read by index, and goes once the server has the job's
 * outputs (or after a day, if no server ever comes for them).
 */
export function jobEventsKey(jobId: string): string {
  return `sa3:events:${jobId}`;
}

const EVENTS_TTL_SECONDS = 24 * 3600;

/** Worker side: appends the event to the job's list, then says so as job progress (which wakes the server). */
export async function tellJobEvent(redis: Redis, job: Job, event: RunEvent): Promise<void> {
  const key = jobEventsKey(job.id!);
  await redis.multi().rpush(key, JSON.stringify(event)).expire(key, EVENTS_TTL_SECONDS).exec();
  await job.updateProgress(event);
}

/**
 * Server side: reads a job's list from where it stopped, one read at a time, so each event is
 * handed on once and in the order the workers appended them. A read that fails (Redis away) is
 * tried again at the next call, from the same place.
 */
export class JobEventLog {
  private next = 0;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly jobId: string,
    private readonly deliver: (event: RunEvent) => void,
  ) {}

  /** Resolves once what the list held when this was called has been handed on (or the read failed). */
  catchUp(): Promise<void> {
    this.reading = this.reading.then(() => this.read()).catch(() => undefined);
    return this.reading;
  }

  /** Removes the list (the run has ended on the server). */
  async remove(): Promise<void> {
    await this.redis.del(jobEventsKey(this.jobId)).catch(() => undefined);
  }

  private async read(): Promise<void> {
    const items = await this.redis.lrange(jobEventsKey(this.jobId), this.next, -1);
    this.next += items.length;
    for (const item of items) this.deliver(JSON.parse(item) as RunEvent);
  }
}
