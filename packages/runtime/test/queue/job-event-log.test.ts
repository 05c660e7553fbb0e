import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/executor/index.js';
import { JobEventLog, isStoredEvent, jobEventsKey } from '../../src/queue/job-events.js';

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
