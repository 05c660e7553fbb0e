import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/executor/index.js';
import { JobEventLog, JobEventTeller, isStoredEvent, jobEventsKey } from '../../src/queue/job-events.js';

const event = (seq: number): RunEvent => ({ runId: 'r', seq, time: '', type: 'node-start', node: `n${seq}` }) as unknown as RunEvent;

/** A job's event list as Redis keeps it, counting the reads the log makes. */
function storedList(count: number): { redis: Redis; reads: () => number; push: (n: number) => void } {
  const list = Array.from({ length: count }, (_, i) => JSON.stringify(event(i + 1)));
  let reads = 0;
  const redis = {
    lrange: (key: string, start: number, stop: number) => {
      expect(key).toBe(jobEventsKey('job-1'));
      expect(stop).toBe(-1);
      reads++;
      return Promise.resolve(list.slice(start));
    },
  } as unknown as Redis;
  return { redis, reads: () => reads, push: (n) => list.push(JSON.stringify(event(n))) };
}

describe("a job's events as the server reads them", () => {
  it('hands on what progress brings in order without reading the list, and reads it only for what is missing', async () => {
    const stored = storedList(5);
    const told: number[] = [];
    const log = new JobEventLog(stored.redis, 'job-1', (e) => told.push(e.seq));
    await log.offer({ index: 0, event: event(1) });
    await log.offer({ index: 1, event: event(2) });
    expect(stored.reads()).toBe(0);
    // Progress for index 2 was lost: index 3 arrives, and the list gives 3 to 5.
    await log.offer({ index: 3, event: event(4) });
    expect(stored.reads()).toBe(1);
    expect(told).toEqual([1, 2, 3, 4, 5]);
    // Late progress of what the read brought is not told again.
    await log.offer({ index: 4, event: event(5) });
    stored.push(6);
    await log.offer({ index: 5, event: event(6) });
    expect(told).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stored.reads()).toBe(1);
  });

  it('a server that comes back reads the whole list first, then goes on with progress', async () => {
    const stored = storedList(3);
    const told: number[] = [];
    const log = new JobEventLog(stored.redis, 'job-1', (e) => told.push(e.seq));
    await log.catchUp();
    stored.push(4);
    await log.offer({ index: 3, event: event(4) });
    await log.catchUp();
    expect(told).toEqual([1, 2, 3, 4]);
  });

  it('knows a progress value that carries an event and its place from one that does not', () => {
    expect(isStoredEvent({ index: 0, event: event(1) })).toBe(true);
    expect(isStoredEvent(event(1))).toBe(false);
    expect(isStoredEvent({ index: 1.5, event: event(1) })).toBe(false);
    expect(isStoredEvent(null)).toBe(false);
  });
});

describe("a job's events as its worker tells them", () => {
  /** A Redis list and a job whose progress updates wait until `release` is called, recording what each carried. */
  function slowRedis(): { redis: Redis; job: Job; list: string[]; progress: unknown[]; release: () => void } {
    const list: string[] = [];
    const progress: unknown[] = [];
    let release = (): void => undefined;
    const redis = {
      multi: () => {
        let pushed: string[] = [];
        const chain = {
          rpush: (_key: string, ...values: string[]) => ((pushed = values), chain),
          expire: () => chain,
          exec: () => {
            list.push(...pushed);
            return Promise.resolve([[null, list.length]]);
          },
        };
        return chain;
      },
    } as unknown as Redis;
    const job = {
      id: 'job-1',
      updateProgress: (value: unknown) => {
        progress.push(value);
        return new Promise<void>((resolve) => (release = resolve));
      },
    } as unknown as Job;
    return { redis, job, list, progress, release: () => release() };
  }

  it('sends the events told while one is on its way together, in order, each at its place in the list', async () => {
    const { redis, job, list, progress, release } = slowRedis();
    const teller = new JobEventTeller(redis, job);
    teller.tell(event(1));
    await new Promise((resolve) => setImmediate(resolve));
    teller.tell(event(2));
    teller.tell(event(3));
    teller.tell(event(4));
    release();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await teller.told();
    expect(list.map((item) => (JSON.parse(item) as RunEvent).seq)).toEqual([1, 2, 3, 4]);
    expect(progress).toEqual([
      { index: 0, event: event(1) },
      { index: 1, event: event(2), more: [event(3), event(4)] },
    ]);
    // What the server makes of them: each event once, in order, with no read of the list.
    const stored = storedList(4);
    const told: number[] = [];
    const log = new JobEventLog(stored.redis, 'job-1', (e) => told.push(e.seq));
    for (const value of progress) if (isStoredEvent(value)) await log.offer(value);
    expect(told).toEqual([1, 2, 3, 4]);
    expect(stored.reads()).toBe(0);
  });

  it('hands on only the events of a progress that a read of the list did not already bring', async () => {
    const stored = storedList(3);
    const told: number[] = [];
    const log = new JobEventLog(stored.redis, 'job-1', (e) => told.push(e.seq));
    await log.offer({ index: 0, event: event(1) });
    await log.catchUp(); // brings 2 and 3
    stored.push(4);
    await log.offer({ index: 1, event: event(2), more: [event(3), event(4)] });
    expect(told).toEqual([1, 2, 3, 4]);
    expect(isStoredEvent({ index: 1, event: event(2), more: 'x' })).toBe(false);
  });
});
