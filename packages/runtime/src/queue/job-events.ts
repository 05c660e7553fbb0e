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

/** What a job's progress says: the event just appended and its place in the job's list. */
export interface StoredEvent {
  readonly index: number;
  readonly event: RunEvent;
}

export function isStoredEvent(value: unknown): value is StoredEvent {
  const told = value as Partial<StoredEvent> | null;
  return typeof told === 'object' && told !== null && Number.isInteger(told.index) && typeof told.event === 'object' && told.event !== null;
}

/** Worker side: appends the event to the job's list, then passes it on as job progress with its place there. */
export async function tellJobEvent(redis: Redis, job: Job, event: RunEvent): Promise<void> {
  const key = jobEventsKey(job.id!);
  const replies = await redis.multi().rpush(key, JSON.stringify(event)).expire(key, EVENTS_TTL_SECONDS).exec();
  const length = replies?.[0]?.[1];
  if (typeof length !== 'number') throw new Error(`Redis did not store event ${event.seq} of job ${job.id}: ${String(replies?.[0]?.[0] ?? 'no reply')}`);
  const told: StoredEvent = { index: length - 1, event };
  await job.updateProgress(told);
}

/**
 * Server side: hands on a job's events once each, in the order the workers appended them. The
 * next one usually comes with the job's progress; when one is missing (the server was away, a
 * progress was lost in a reconnect) the list is read from where it stopped. One step at a time;
 * a read that fails (Redis away) is tried again at the next call, from the same place.
 */
export class JobEventLog {
  private next = 0;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly jobId: string,
    private readonly deliver: (event: RunEvent) => void,
  ) {}

  /** An event the job's progress brought: handed on if it is the next, read with those missing before it if it is later. */
  offer(told: StoredEvent): Promise<void> {
    this.reading = this.reading
      .then(async () => {
        if (told.index === this.next) {
          this.next++;
          this.deliver(told.event);
        } else if (told.index > this.next) await this.read();
      })
      .catch(() => undefined);
    return this.reading;
  }

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
