import { describe, expect, it } from 'vitest';
import { planChunks } from '../../src/engine/chunk-plan.js';

describe('planChunks', () => {
  it('matches the official worked example: 225 latents -> starts 0, 96, 97', () => {
    expect(planChunks(225, 128, 32).map((c) => c.start)).toEqual([0, 96, 97]);
  });

  it('covers every latent exactly once with the interiors it keeps', () => {
    for (const length of [1, 127, 128, 129, 225, 388, 1292, 4096]) {
      const covered = new Int32Array(length);
      const chunks = planChunks(length, 128, 32);
      let last = 0;
      for (const c of chunks) {
        expect(c.keepFrom).toBeGreaterThanOrEqual(c.start);
        expect(c.keepTo).toBeLessThanOrEqual(c.start + Math.min(128, length));
        // later chunks may overwrite the tail of earlier ones, never leave a gap
        expect(c.keepFrom).toBeLessThanOrEqual(last);
        for (let i = c.keepFrom; i < c.keepTo; i++) covered[i]!++;
        last = c.keepTo;
      }
      expect(last).toBe(length);
      expect(covered.every((n) => n >= 1)).toBe(true);
    }
  });

  it('keeps at least 16 latents of context at every inner edge', () => {
    for (const c of planChunks(4096, 128, 32).slice(1, -1)) {
      expect(c.keepFrom - c.start).toBe(16);
      expect(c.start + 128 - c.keepTo).toBe(16);
    }
  });
});
