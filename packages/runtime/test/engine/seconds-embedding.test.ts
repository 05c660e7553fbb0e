import { describe, expect, it } from 'vitest';
import { expoFrequencies, secondsEmbedding } from '../../src/engine/seconds-embedding.js';
import { haveReference, maxAbsDiff, openReference } from './fixtures.js';

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(aa * bb);
}

describe('expo Fourier frequencies', () => {
  it('run from 0.5 to 1e4 in float32, geometrically', () => {
    const freqs = expoFrequencies(128);
    expect(freqs[0]).toBe(0.5);
    expect(freqs[127]).toBeCloseTo(1e4, 1);
    for (let i = 1; i < 128; i++) expect(freqs[i]! / freqs[i - 1]!).toBeCloseTo(Math.pow(2e4, 1 / 127), 5);
  });
});

describe.runIf(haveReference())('seconds conditioner against the official outputs', () => {
  for (const model of ['medium-tiny', 'small-tiny']) {
    it(`${model}: every reference duration, 500 s clamped to 384`, async () => {
      const weights = await openReference(`${model}/model.safetensors`);
      const weight = await weights.readFloat32('conditioner.conditioners.seconds_total.embedder.embedding.1.weight');
      const bias = await weights.readFloat32('conditioner.conditioners.seconds_total.embedder.embedding.1.bias');
      const file = await openReference(`${model}/conditioner_seconds.safetensors`);
      const seconds = await file.readFloat32('in_seconds_total');
      const expected = await file.readFloat32('out_embedding');
      const hidden = bias.length;
      for (let i = 0; i < seconds.length; i++) {
        const ours = secondsEmbedding(seconds[i]!, weight, bias);
        const theirs = expected.subarray(i * hidden, (i + 1) * hidden);
        // With the reference's float32 angles reproduced, only float32 rounding is left (~5e-7).
        expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
        expect(cosine(ours, theirs)).toBeGreaterThanOrEqual(0.99999);
      }
      await Promise.all([weights.close(), file.close()]);
    });
  }
});
