/**
 * Multi-region inpainting against the official run (lora/README.md §5.4): generate() with
 * inpaint_mask_start_seconds=[0.2, 1.0], inpaint_mask_end_seconds=[0.6, 1.3] on medium-tiny.
 * The engine's mask and local_add_cond are compared with the fixture's, then the engine's own
 * ping-pong sampler drives the converted DiT with that conditioning and the recorded noises.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convertConditionerWeights } from '../../src/compiler/conditioner-weights.js';
import { convertDit } from '../../src/compiler/dit-graph.js';
import { conditioningFeeds } from '../../src/engine/dit-feeds.js';
import { inpaintLocalCond, latentKeepMask } from '../../src/engine/inpaint-mask.js';
import { samplePingPong } from '../../src/engine/sampler.js';
import { samplingSchedule } from '../../src/engine/schedule.js';
import { SafetensorsFile } from '../../src/model-files/safetensors.js';
import type { PackManifest } from '../../src/pack-format/manifest.js';
import { agreement, checkpointPath, modelConfig, tempDir } from '../compiler/compare.js';
import { haveReference, openReference } from './fixtures.js';

const FIXTURE = 'lora/medium-tiny/sample_pingpong_8step_inpaint_2regions.safetensors';
const REGIONS = [
  { startSeconds: 0.2, endSeconds: 0.6 },
  { startSeconds: 1.0, endSeconds: 1.3 },
];
const SECONDS = 1.5;
const SOURCE_FRAMES = 66_150;
const CHANNELS = 256;
const TOKENS = 256;
const HIDDEN = 768;
const STEPS = 8;

const sameValues = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

describe.runIf(haveReference())('two-region inpainting against the official generate()', () => {
  it('builds the mask and masked input of the fixture exactly', async () => {
    const file = await openReference(FIXTURE);
    try {
      const sourceLatent = await file.readFloat32('in_source_latent');
      const latents = sourceLatent.length / CHANNELS;
      expect(latents).toBe(28);
      const mask = latentKeepMask(latents, 4096, REGIONS, SECONDS, SOURCE_FRAMES);
      expect(sameValues(mask, await file.readFloat32('out_inpaint_mask'))).toBe(true);
      expect([...mask.entries()].filter(([, v]) => v === 1).map(([i]) => i)).toEqual([0, 1, 2, 7, 8, 9, 10, 14, 15, 16]);
      const localAddCond = inpaintLocalCond(mask, sourceLatent, CHANNELS);
      expect(sameValues(localAddCond.subarray(0, latents), mask)).toBe(true);
      expect(sameValues(localAddCond.subarray(latents), await file.readFloat32('out_inpaint_masked_input'))).toBe(true);
    } finally {
      await file.close();
    }
  });

  it('the engine sampler with the converted DiT reproduces out_latents_keymask', async () => {
    const { dir, remove } = await tempDir();
    const file = await openReference(FIXTURE);
    let session: ort.InferenceSession | undefined;
    try {
      const config = await modelConfig('medium-tiny');
      const dit = await convertDit(checkpointPath('medium-tiny'), config, dir, { precision: 'fp32' });
      const conditioner = await convertConditionerWeights(checkpointPath('medium-tiny'), config, dir);
      session = await ort.InferenceSession.create(join(dir, dit.saved.modelFile));
      const weights = await SafetensorsFile.open(join(dir, conditioner.file));
      const explicit = { secondsRow: await file.readFloat32('in_global_embed'), paddingEmbedding: await weights.readFloat32('padding_embedding') };
      await weights.close();

      const hidden = new Float32Array(TOKENS * HIDDEN);
      hidden.set(await file.readFloat32('in_t5_hidden_valid_rows'));
      const promptMask = Float32Array.from(await file.readBytes('in_t5_attention_mask'));
      const paddingMask = await file.readBytes('in_padding_mask');
      const latents = paddingMask.length;
      const validLatents = paddingMask.reduce((n, v) => n + v, 0);
      const mask = latentKeepMask(latents, 4096, REGIONS, SECONDS, SOURCE_FRAMES);
      const localAddCond = inpaintLocalCond(mask, await file.readFloat32('in_source_latent'), CHANNELS);
      const pack = { id: 'medium-tiny', ditLayout: 'explicit', text: { tokenizer: 'tokenizer.json', maxTokens: TOKENS, hiddenSize: HIDDEN } } as PackManifest;
      const cond = conditioningFeeds(
        pack,
        { kind: 'cond', prompt: { packId: 'medium-tiny', hidden, mask: promptMask } },
        SECONDS,
        localAddCond,
        latents,
        validLatents,
        explicit,
        true,
      );

      const noises = await Promise.all(Array.from({ length: STEPS }, (_, i) => file.readFloat32(`step${i}_noise`)));
      const dits = session;
      const ours = await samplePingPong({
        start: await file.readFloat32('in_initial_noise'),
        sigmas: samplingSchedule(STEPS),
        model: async (x, t) => {
          const feeds = { ...cond, x: new ort.Tensor('float32', x, [1, CHANNELS, latents]), t: new ort.Tensor('float32', Float32Array.of(t), [1]) };
          return (await dits.run(feeds)).velocity!.data as Float32Array;
        },
        stepNoise: (step) => noises[step]!,
      });
      const a = agreement(ours, await file.readFloat32('out_latents_keymask'));
      expect(a.cosine).toBeGreaterThanOrEqual(0.99999);
      expect(a.maxAbs).toBeLessThan(1e-4);
      // The mask matters: the run without it (all generated) lands elsewhere.
      const base = await openReference('medium-tiny/sample_pingpong_8step.safetensors');
      expect(agreement(ours, await base.readFloat32('out_latents_keymask')).maxAbs).toBeGreaterThan(1e-2);
      await base.close();
    } finally {
      await session?.release();
      await file.close();
      await remove();
    }
  });
});
