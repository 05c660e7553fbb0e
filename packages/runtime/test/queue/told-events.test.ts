import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/executor/index.js';
import { ToldEvents } from '../../src/queue/told-events.js';

let seq = 0;
const event = (type: string, fields: Record<string, unknown> = {}): RunEvent => ({ runId: 'r', seq: ++seq, time: '', type, ...fields }) as unknown as RunEvent;
const attempt = (): void => {
  seq = 0;
};
const step = (node: string, n: number): RunEvent => event('node-progress', { node, phase: 'sampling', step: n, total: 4 });

describe('events of a job passed on once', () => {
  it('a second attempt whose prompt was cached repeats no step and goes on where the first stopped', () => {
    const told = new ToldEvents();
    const passed: RunEvent[] = [];
    const pass = (e: RunEvent): void => {
      const fresh = told.fresh(e);
      if (fresh) passed.push(fresh);
    };
    attempt();
    for (const e of [event('run-start'), event('node-start', { node: 'prompt' }), event('node-done', { node: 'prompt' })]) pass(e);
    for (const e of [event('node-start', { node: 'gen' }), step('gen', 1), step('gen', 2)]) pass(e);
    attempt(); // killed; the next worker has the prompt cached: one event fewer before the sampler
    for (const e of [event('run-start'), event('node-cached', { node: 'prompt' }), event('node-start', { node: 'gen' })]) pass(e);
    for (const n of [1, 2, 3, 4]) pass(step('gen', n));
    pass(event('run-done'));
    const steps = passed.flatMap((e) => (e.type === 'node-progress' ? [(e as unknown as { step: number }).step] : []));
    expect(steps).toEqual([1, 2, 3, 4]);
    expect(passed.map((e) => e.seq)).toEqual(passed.map((_, i) => i + 1));
    expect(passed.filter((e) => e.type === 'run-start')).toHaveLength(1);
    expect(passed.at(-1)!.type).toBe('run-done');
  });

  it('a node that samples twice in one attempt (a loop) has both passes told', () => {
    const told = new ToldEvents();
    attempt();
    const fresh = [1, 2, 1, 2].map((n) => told.fresh(step('loop', n)));
    expect(fresh.every((e) => e !== null)).toBe(true);
    expect(told.count).toBe(4);
  });
});
