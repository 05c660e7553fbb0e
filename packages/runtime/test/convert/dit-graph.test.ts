import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertDit, type ConvertedDit } from '../../src/packs/convert/dit-graph.js';
import { haveReference, openReference } from '../engine/fixtures.js';
import { agreement, checkpointPath, fixtureTensor, modelConfig, tempDir } from './compare.js';

const cases = {
  'medium-tiny': ['dit_case1_L37_t0.99', 'dit_case2_L48_t0.3_pad', 'dit_case3_B2_L29'],
  'small-tiny': ['dit_case1_L37_t0.99', 'dit_case2_L48_t0.3_pad'],
} as const;

const inputs = ['x', 't', 'cross_attn_cond', 'global_embed', 'local_add_cond', 'padding_mask'];

describe.runIf(haveReference())('DiT converted to ONNX against the official outputs', () => {
  for (const [model, names] of Object.entries(cases)) {
    describe(model, () => {
      let converted: ConvertedDit;
      let session: ort.InferenceSession;
      let cleanup: () => Promise<void>;

      beforeAll(async () => {
        const { dir, remove } = await tempDir();
        cleanup = remove;
        converted = await convertDit(checkpointPath(model), await modelConfig(model), dir, { debugOutputs: true });
        session = await ort.InferenceSession.create(join(dir, converted.saved.modelFile));
      });

      afterAll(async () => {
        await session?.release();
        await cleanup?.();
      });

      it('takes the explicit layout and keeps the weights in external data', () => {
        expect(converted.inputs.map((i) => i.name)).toEqual(inputs);
        expect(converted.saved.externalDataFile).toBe('dit.onnx.data');
        expect(converted.config.differential).toBe(model === 'medium-tiny');
      });

      for (const name of names) {
        it(`${name}: velocity matches out_v_keymask (and the residual stream where nothing is padded)`, async () => {
          const file = await openReference(`${model}/${name}.safetensors`);
          try {
            const feeds: Record<string, ort.Tensor> = {};
            for (const input of inputs) feeds[input] = await fixtureTensor(file, `in_${input}`);
            const out = await session.run(feeds);
            const velocity = agreement(out.velocity!.data as Float32Array, await file.readFloat32('out_v_keymask'));
            expect(velocity.cosine).toBeGreaterThanOrEqual(0.99999);
            expect(velocity.maxAbs).toBeLessThan(1e-4);
            // The dbg_* residual streams come from the V-zeroing path, equal to ours only without padding.
            const padded = (await file.readBytes('in_padding_mask')).includes(0);
            if (!padded) {
              expect(agreement(out.velocity!.data as Float32Array, await file.readFloat32('out_v')).maxAbs).toBeLessThan(1e-4);
              for (let block = 0; block < converted.config.depth; block++) {
                const hidden = `dbg_hidden_after_block${block}`;
                expect(agreement(out[hidden]!.data as Float32Array, await file.readFloat32(hidden)).maxAbs).toBeLessThan(1e-4);
              }
            }
          } finally {
            await file.close();
          }
        });
      }
    });
  }
});

describe.runIf(haveReference())('DiT converted without a padding mask input', () => {
  it('small-tiny dit_case1 (nothing padded): every key counts, so it matches out_v', async () => {
    const { dir, remove } = await tempDir();
    const file = await openReference('small-tiny/dit_case1_L37_t0.99.safetensors');
    let session: ort.InferenceSession | undefined;
    try {
      const converted = await convertDit(checkpointPath('small-tiny'), await modelConfig('small-tiny'), dir, { keyMask: false });
      expect(converted.inputs.map((i) => i.name)).toEqual(inputs.slice(0, 5));
      session = await ort.InferenceSession.create(join(dir, converted.saved.modelFile));
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of inputs.slice(0, 5)) feeds[input] = await fixtureTensor(file, `in_${input}`);
      const velocity = agreement((await session.run(feeds)).velocity!.data as Float32Array, await file.readFloat32('out_v'));
      expect(velocity.cosine).toBeGreaterThanOrEqual(0.99999);
      expect(velocity.maxAbs).toBeLessThan(1e-4);
    } finally {
      await session?.release();
      await file.close();
      await remove();
    }
  });
});
