import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secondsEmbedding } from '../../src/engine/seconds-embedding.js';
import { convertConditionerWeights } from '../../src/compiler/conditioner-weights.js';
import { SafetensorsFile } from '../../src/model-files/safetensors.js';
import { haveReference, maxAbsDiff, openReference } from '../engine/fixtures.js';
import { checkpointPath, modelConfig, tempDir } from './compare.js';

describe.runIf(haveReference())('conditioner weights', () => {
  for (const model of ['medium-tiny', 'small-tiny']) {
    it(`${model}: the pack file holds the checkpoint's tensors and reproduces the seconds conditioner`, async () => {
      const { dir, remove } = await tempDir();
      try {
        const converted = await convertConditionerWeights(checkpointPath(model), await modelConfig(model), dir);
        const pack = await SafetensorsFile.open(join(dir, converted.file));
        const checkpoint = await openReference(`${model}/model.safetensors`);
        const cases = await openReference(`${model}/conditioner_seconds.safetensors`);
        try {
          expect(converted.hiddenSize).toBe(768);
          expect(await pack.readFloat32('padding_embedding')).toEqual(await checkpoint.readFloat32('conditioner.conditioners.prompt.padding_embedding'));
          expect(pack.info('seconds_weight').shape).toEqual([768, 256]);
          const weight = await pack.readFloat32('seconds_weight');
          const bias = await pack.readFloat32('seconds_bias');
          const seconds = await cases.readFloat32('in_seconds_total');
          const expected = await cases.readFloat32('out_embedding');
          for (let i = 0; i < seconds.length; i++) {
            expect(maxAbsDiff(secondsEmbedding(seconds[i]!, weight, bias), expected.subarray(i * 768, (i + 1) * 768))).toBeLessThan(1e-4);
          }
        } finally {
          await Promise.all([pack.close(), checkpoint.close(), cases.close()]);
        }
      } finally {
        await remove();
      }
    });
  }
});
