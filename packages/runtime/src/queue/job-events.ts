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

/** What a job's progress says: the events just appended, the first at `index` in the job's list and the `more` after it. */
export interface StoredEvent {
  readonly index: number;
  readonly event: RunEvent;
  readonly more?: readonly RunEvent[];
}

export function isStoredEvent(value: unknown): value is StoredEvent {
  const told = value as Partial<StoredEvent> | null;
  return (
    typeof told === 'object' &&
    told !== null &&
    Number.isInteger(told.index) &&
    typeof told.event === 'object' &&
    told.event !== null &&
    (told.more === undefined || Array.isArray(told.more))
  );
}

/**
 * Worker side: appends a job's events to its list, then passes them on as job progress with their
 * place there, in order. The events a run emits while the last ones are on their way go together,
 * in one append and one progress: two round trips to Redis however many there are.
 */
export class JobEventTeller {
  private readonly pending: RunEvent[] = [];
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly job: Job,
  ) {}

  tell(event: RunEvent): void {
    this.pending.push(event);
    if (this.pending.length !== 1) return; // a send is already due to take it
    this.sending = this.sending.then(() => this.send());
    this.sending.catch(() => undefined); // told() reports a failure, whenever it is asked
  }

  /** Resolves once every event told so far is stored and passed on; rejects if one could not be (the job's attempt fails). */
  told(): Promise<void> {
    return this.sending;
  }

  private async send(): Promise<void> {
    const events = this.pending.splice(0);
    const key = jobEventsKey(this.job.id!);
    const replies = await this.redis
      .multi()
      .rpush(key, ...events.map((event) => JSON.stringify(event)))
      .expire(key, EVENTS_TTL_SECONDS)
      .exec();
    const length = replies?.[0]?.[1];
    if (typeof length !== 'number')
      throw new Error(`Redis did not store event ${events[0]!.seq} of job ${this.job.id}: ${String(replies?.[0]?.[0] ?? 'no reply')}`);
    const [event, ...more] = events;
    const told: StoredEvent = { index: length - events.length, event: event!, ...(more.length > 0 ? { more } : {}) };
    await this.job.updateProgress(told);
  }
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

  /** Events the job's progress brought: those not handed on yet are if they start at or before the next, else the list is read up to them. */
  offer(told: StoredEvent): Promise<void> {
    this.reading = this.reading
      .then(async () => {
        if (told.index > this.next) return this.read();
        const events = [told.event, ...(told.more ?? [])];
        for (const event of events.slice(this.next - told.index)) {
          this.next++;
          this.deliver(event);
        }
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
