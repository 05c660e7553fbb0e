import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { intraOpThreads } from '../../src/engine/execution-providers.js';

const saved = process.env.SA3_THREADS;
afterEach(() => {
  if (saved === undefined) delete process.env.SA3_THREADS;
  else process.env.SA3_THREADS = saved;
});

describe('threads per session', () => {
  it('every core by default, SA3_THREADS when it names a count, one sentence and the default when it does not', () => {
    delete process.env.SA3_THREADS;
    expect(intraOpThreads()).toBe(availableParallelism());
    process.env.SA3_THREADS = '3';
    expect(intraOpThreads()).toBe(3);
    const lines: string[] = [];
    for (const bad of ['0', '1.5', 'many']) {
      process.env.SA3_THREADS = bad;
      expect(intraOpThreads((line) => lines.push(line))).toBe(availableParallelism());
    }
    expect(lines).toEqual([`SA3_THREADS must be a whole number of threads above 0, got "0"; using ${availableParallelism()}`]);
  });
});
