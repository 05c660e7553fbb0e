import { describe, expect, it } from 'vitest';
import { secondsEmbedding } from '../../src/engine/seconds-embedding.js';
import { haveReference, maxAbsDiff, openReference } from './fixtures.js';

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
        // The Fourier angles reach 2π·1e4·s rad, where one float32 ulp is 3.9e-3 rad; the official
        // float32 run and this one differ by one ulp at a few frequencies, hence 1e-3 at s = 1.
        const tolerance = seconds[i]! >= 120 ? 1e-3 : 1e-4;
        expect(maxAbsDiff(ours, expected.subarray(i * hidden, (i + 1) * hidden))).toBeLessThan(tolerance);
      }
      await Promise.all([weights.close(), file.close()]);
    });
  }
});
