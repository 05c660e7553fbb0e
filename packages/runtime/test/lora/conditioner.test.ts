import { describe, expect, it } from 'vitest';
import { LoraStack } from '../../src/lora/index.js';
import { secondsEmbedding } from '../../src/engine/seconds-embedding.js';
import { agreement } from '../compiler/compare.js';
import { haveReference, openReference } from '../engine/fixtures.js';
import { adapterCases, caseTensor, loraFile, SECONDS_KEY, tinyModel } from './lora-fixtures.js';

describe.runIf(haveReference())('the seconds conditioner with adapters', () => {
  for (const { model, type } of adapterCases) {
    it(`${model} ${type} at 0.7: the embedding through the merged Linear matches out_seconds_embedding`, async () => {
      const { base, close } = await tinyModel(model);
      try {
        const file = await loraFile(model, `lora_${type}_r4.safetensors`);
        const layer = file.layers.get(SECONDS_KEY)!;
        expect(layer.part).toBe('conditioner');
        expect(layer.module).toBe('conditioners.seconds_total.embedder.embedding.1');
        const stack = LoraStack.build([{ file, strength: 0.7 }], base);
        expect(stack.adaptedKeys).toContain(SECONDS_KEY);
        const weight = stack.mergeLayer(SECONDS_KEY, await base.read(SECONDS_KEY), base.shape(SECONDS_KEY)!);
        const bias = await base.read(SECONDS_KEY.replace(/weight$/, 'bias'));
        const inputs = await openReference(`${model}/conditioner_seconds.safetensors`);
        const seconds = await inputs.readFloat32('in_seconds_total');
        await inputs.close();
        const expected = await caseTensor(model, `case_${type}_s0.7`, 'out_seconds_embedding');
        const hidden = bias.length;
        for (let i = 0; i < seconds.length; i++) {
          const result = agreement(secondsEmbedding(seconds[i]!, weight, bias), expected.subarray(i * hidden, (i + 1) * hidden));
          // The expo features themselves differ by an ulp between CPU builds (reference README); the base model agrees to ~2e-5.
          expect(result.maxAbs).toBeLessThan(1e-4);
          expect(result.cosine).toBeGreaterThanOrEqual(0.99999);
        }
      } finally {
        await close();
      }
    });
  }
});
