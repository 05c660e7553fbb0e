import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MergedDitCache } from '../../src/engine/merged-dit-cache.js';

describe('the merged DiT cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sa3-merged-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const put = (cache: MergedDitCache, key: string) => cache.write(key, (staging) => writeFile(join(staging, 'dit.onnx'), key));

  it('keeps the most recently used copies up to its limit, never half-written ones, and clears what dead processes left', async () => {
    const cache = new MergedDitCache(dir, 'dit.onnx', 2);
    await put(cache, 'a');
    await utimes(join(dir, 'a'), new Date(1_000_000), new Date(1_000_000));
    await put(cache, 'b');
    await utimes(join(dir, 'b'), new Date(2_000_000), new Date(2_000_000));
    expect(await cache.has('a')).toBe(true); // used now: b becomes the oldest
    await mkdir(join(dir, 'c.partial-999999999-1')); // a process that is gone
    await mkdir(join(dir, `d.partial-${process.pid}-1`)); // this one, still writing
    await put(cache, 'e');
    expect((await readdir(dir)).sort()).toEqual(['a', `d.partial-${process.pid}-1`, 'e']);
    expect(await cache.has('b')).toBe(false);
  });

  it('a write that fails leaves nothing behind', async () => {
    const cache = new MergedDitCache(dir, 'dit.onnx', 2);
    await expect(
      cache.write('x', async (staging) => {
        await writeFile(join(staging, 'dit.onnx'), 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readdir(dir)).toEqual([]);
    expect(await cache.has('x')).toBe(false);
  });
});
