/**
 * The engine's own sampler, guidance and DiT feeds driving the converted DiT in onnxruntime-node,
 * with the official run's initial noise and step noises injected, against the official latents.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { conditioningFeeds, type ExplicitConditioning } from '../../src/engine/dit-feeds.js';
import { guidedVelocity } from '../../src/engine/guidance.js';
import { sampleEuler, samplePingPong, type VelocityModel } from '../../src/engine/sampler.js';
import { samplingSchedule } from '../../src/engine/schedule.js';
import { convertConditionerWeights } from '../../src/compiler/conditioner-weights.js';
import type { ConvertPrecision } from '../../src/compiler/converted-graph.js';
import { convertDit } from '../../src/compiler/dit-graph.js';
import type { PackManifest } from '../../src/pack-format/manifest.js';
import { SafetensorsFile } from '../../src/model-files/safetensors.js';
import { haveReference, openReference } from '../engine/fixtures.js';
import { agreement, checkpointPath, modelConfig, tempDir } from './compare.js';

const TOKENS = 256;
const HIDDEN = 768;
const CHANNELS = 256;
const STEPS = 8;

interface Run {
  readonly sample: (model: VelocityModel, start: Float32Array, stepNoise: (step: number) => Float32Array) => Promise<Float32Array>;
  readonly velocity: (run: (feeds: Record<string, ort.Tensor>) => Promise<Float32Array>, step: StepFeeds) => Promise<Float32Array>;
}

interface StepFeeds {
  readonly x: Float32Array;
  readonly t: number;
  readonly cond: Record<string, ort.Tensor>;
  readonly uncond: Record<string, ort.Tensor>;
  readonly latents: number;
  readonly validLatents: number;
}

/** Converts the checkpoint's DiT and conditioner, samples with the fixture's noises, returns the latents and the reference. */
async function sampleWithConvertedDit(
  model: string,
  configFile: string,
  fixture: string,
  run: Run,
  precision: ConvertPrecision = 'fp32',
): Promise<{ ours: Float32Array; expected: Float32Array }> {
  const { dir, remove } = await tempDir();
  const file = await openReference(`${model}/${fixture}.safetensors`);
  let session: ort.InferenceSession | undefined;
  try {
    const config = await modelConfig(model, configFile);
    const dit = await convertDit(checkpointPath(model), config, dir, { precision });
    const conditioner = await convertConditionerWeights(checkpointPath(model), config, dir);
    session = await ort.InferenceSession.create(join(dir, dit.saved.modelFile));
    const weights = await SafetensorsFile.open(join(dir, conditioner.file));
    const explicit: ExplicitConditioning = {
      secondsRow: await file.readFloat32('in_global_embed'),
      paddingEmbedding: await weights.readFloat32('padding_embedding'),
    };
    await weights.close();

    // The prompt as the text encoder hands it over: the valid rows, then rows the mask marks as padding.
    const validRows = await file.readFloat32('in_t5_hidden_valid_rows');
    const hidden = new Float32Array(TOKENS * HIDDEN);
    hidden.set(validRows);
    const mask = Float32Array.from(await file.readBytes('in_t5_attention_mask'));
    const paddingMask = await file.readBytes('in_padding_mask');
    const latents = paddingMask.length;
    const validLatents = paddingMask.reduce((n, v) => n + v, 0);
    const pack = { id: model, ditLayout: 'explicit', text: { tokenizer: 'tokenizer.json', maxTokens: TOKENS, hiddenSize: HIDDEN } } as PackManifest;
    const localAddCond = await file.readFloat32('in_local_add_cond');
    const seconds = Number(file.metadata.seconds_total);
    const feedsFor = (branch: Parameters<typeof conditioningFeeds>[1]) =>
      conditioningFeeds(pack, branch, seconds, localAddCond, latents, validLatents, explicit, true);
    const cond = feedsFor({ kind: 'cond', prompt: { packId: model, hidden, mask } });
    const uncond = feedsFor({ kind: 'uncond' });

    const dits = session;
    const runDit = async (feeds: Record<string, ort.Tensor>) => (await dits.run(feeds)).velocity!.data as Float32Array;
    const velocityModel: VelocityModel = (x, t) => run.velocity(runDit, { x, t, cond, uncond, latents, validLatents });
    const noises = await Promise.all(
      Array.from({ length: STEPS }, (_, i) => (file.tensors.has(`step${i}_noise`) ? file.readFloat32(`step${i}_noise`) : Promise.resolve(new Float32Array(0)))),
    );
    const ours = await run.sample(velocityModel, await file.readFloat32('in_initial_noise'), (step) => noises[step]!);
    return { ours, expected: await file.readFloat32('out_latents_keymask') };
  } finally {
    await session?.release();
    await file.close();
    await remove();
  }
}

function stepFeeds(step: StepFeeds, branch: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
  return { ...branch, x: new ort.Tensor('float32', step.x, [1, CHANNELS, step.latents]), t: new ort.Tensor('float32', Float32Array.of(step.t), [1]) };
}

const pingPong: Run = {
  sample: (model, start, stepNoise) => samplePingPong({ start, sigmas: samplingSchedule(STEPS), model, stepNoise }),
  velocity: (runDit, step) => runDit(stepFeeds(step, step.cond)),
};

const eulerCfg3Apg: Run = {
  sample: (model, start) => sampleEuler({ start, sigmas: samplingSchedule(STEPS), model }),
  velocity: async (runDit, step) => {
    const vCond = await runDit(stepFeeds(step, step.cond));
    const vUncond = await runDit(stepFeeds(step, step.uncond));
    return guidedVelocity({
      x: step.x,
      vCond,
      vUncond,
      t: step.t,
      cfgScale: 3,
      apgScale: 1,
      channels: CHANNELS,
      length: step.latents,
      validLatents: step.validLatents,
    });
  },
};

describe.runIf(haveReference())('the engine sampler with the converted DiT against the official samples', () => {
  for (const model of ['medium-tiny', 'small-tiny']) {
    it(`${model}: 8-step ping-pong reproduces out_latents_keymask`, async () => {
      const { ours, expected } = await sampleWithConvertedDit(model, 'model_config.json', 'sample_pingpong_8step', pingPong);
      const a = agreement(ours, expected);
      expect(a.cosine).toBeGreaterThanOrEqual(0.99999);
      expect(a.maxAbs).toBeLessThan(1e-4);
    });
  }

  it('small-tiny base: Euler, CFG 3 with APG, all-zero unconditional tokens, reproduces out_latents_keymask', async () => {
    const { ours, expected } = await sampleWithConvertedDit('small-tiny', 'model_config_base.json', 'sample_euler_cfg3_apg', eulerCfg3Apg);
    const a = agreement(ours, expected);
    expect(a.cosine).toBeGreaterThanOrEqual(0.99999);
    expect(a.maxAbs).toBeLessThan(1e-4);
  });

  // The reference quotes cos 0.998 for a float16-mixed DiT's final latent on the real model;
  // these tiny models measure 0.99999997 and a largest difference of 4e-4 to 1.4e-3.
  describe('with the fp16 DiT (float16 trunk, float32 islands)', () => {
    for (const model of ['medium-tiny', 'small-tiny']) {
      it(`${model}: 8-step ping-pong stays within cos 0.99999 of out_latents_keymask`, async () => {
        const { ours, expected } = await sampleWithConvertedDit(model, 'model_config.json', 'sample_pingpong_8step', pingPong, 'fp16');
        const a = agreement(ours, expected);
        expect(a.cosine).toBeGreaterThanOrEqual(0.99999);
        expect(a.maxAbs).toBeLessThan(5e-3);
      });
    }

    it('small-tiny base: Euler, CFG 3 with APG stays within cos 0.99999 of out_latents_keymask', async () => {
      const { ours, expected } = await sampleWithConvertedDit('small-tiny', 'model_config_base.json', 'sample_euler_cfg3_apg', eulerCfg3Apg, 'fp16');
      const a = agreement(ours, expected);
      expect(a.cosine).toBeGreaterThanOrEqual(0.99999);
      expect(a.maxAbs).toBeLessThan(5e-3);
    });
  });
});
