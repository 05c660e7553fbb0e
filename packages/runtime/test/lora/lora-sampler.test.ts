/**
 * The engine's LoRA path on a converted medium-tiny pack: the adapter merged into a cached copy of
 * the DiT graph (weights mapped from the ONNX initializers, not the checkpoint), the seconds
 * conditioner adapted, the interval switching DiTs per step, all driven by the engine's own
 * ping-pong sampler with the official run's noises, against the official latents.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoraAdapter } from '@sa3/nodes';
import { convertConditionerWeights } from '../../src/compiler/conditioner-weights.js';
import { convertDit } from '../../src/compiler/dit-graph.js';
import type { TensorDeclaration } from '../../src/compiler/graph/index.js';
import { conditioningFeeds } from '../../src/engine/dit-feeds.js';
import { LoadedPack } from '../../src/engine/loaded-pack.js';
import { LoraAdapters } from '../../src/engine/lora-adapters.js';
import { samplePingPong } from '../../src/engine/sampler.js';
import { samplingSchedule } from '../../src/engine/schedule.js';
import type { PackManifest, TensorSpec } from '../../src/pack-format/manifest.js';
import { sha256Hex } from '../../src/files/hash.js';
import { writeTestPack } from '../../src/testpack/index.js';
import { agreement, checkpointPath, modelConfig, tempDir } from '../compiler/compare.js';
import { haveReference, openReference } from '../engine/fixtures.js';
import { loraDir } from './lora-fixtures.js';

const TOKENS = 256;
const HIDDEN = 768;
const CHANNELS = 256;
const STEPS = 8;
const LORA = join(loraDir, 'medium-tiny', 'lora_lora_r4.safetensors');

function specs(declared: readonly TensorDeclaration[]): Record<string, TensorSpec> {
  return Object.fromEntries(declared.map((d) => [d.name, { name: d.name, dtype: d.dtype as TensorSpec['dtype'], shape: [...d.shape] }]));
}

describe.runIf(haveReference())('LoRA through the engine: merged DiT copies, the adapted conditioner and the interval', () => {
  let packDir: string;
  let cacheDir: string;
  let removePack: () => Promise<void>;
  let removeCache: () => Promise<void>;
  let pack: LoadedPack;
  let adapter: LoraAdapter;

  /** The medium-tiny DiT and conditioner converted into `dir` as the pieces of a pack the engine loads. */
  async function convertedPack(dir: string, precision: 'fp32' | 'fp16' | 'int8' = 'fp32'): Promise<LoadedPack> {
    const config = await modelConfig('medium-tiny');
    const dit = await convertDit(checkpointPath('medium-tiny'), config, dir, { precision });
    const conditioner = await convertConditionerWeights(checkpointPath('medium-tiny'), config, dir);
    const manifest = {
      id: `medium-tiny-${precision}`,
      precision,
      ditLayout: 'explicit',
      conditionerWeights: conditioner.file,
      text: { tokenizer: 'tokenizer.json', maxTokens: TOKENS, hiddenSize: HIDDEN },
      graphs: { dit: { file: dit.saved.modelFile, inputs: specs(dit.inputs), outputs: specs(dit.outputs) } },
    } as unknown as PackManifest;
    return new LoadedPack(dir, manifest, `medium-tiny-${precision}-test-pack`, ['cpu'], () => undefined);
  }

  beforeAll(async () => {
    ({ dir: packDir, remove: removePack } = await tempDir());
    ({ dir: cacheDir, remove: removeCache } = await tempDir());
    pack = await convertedPack(packDir);
    adapter = { file: LORA, sha256: sha256Hex(await readFile(LORA)), strength: 1, interval: [0, 1], layerFilter: '' };
  });

  afterAll(async () => {
    await pack?.release();
    await removePack?.();
    await removeCache?.();
  });

  /** Samples the fixture's run with `adapters`, returning our latents, the reference and the steps that ran a merged DiT. */
  async function sample(fixture: string, adapters: readonly LoraAdapter[], on: LoadedPack = pack) {
    const pack = on;
    const file = await openReference(`lora/medium-tiny/${fixture}.safetensors`);
    try {
      const sigmas = samplingSchedule(STEPS);
      const adapted = await new LoraAdapters(cacheDir, () => undefined).adapt(pack, adapters, Array.from(sigmas).slice(0, -1));
      const seconds = Number(file.metadata.seconds_total ?? 1.5);
      const explicit = (await pack.explicitConditioning(seconds, adapted.secondsWeight))!;
      const validRows = await file.readFloat32('in_t5_hidden_valid_rows');
      const hidden = new Float32Array(TOKENS * HIDDEN);
      hidden.set(validRows);
      const mask = Float32Array.from(await file.readBytes('in_t5_attention_mask'));
      const paddingMask = await file.readBytes('in_padding_mask');
      const latents = paddingMask.length;
      const validLatents = paddingMask.reduce((n, v) => n + v, 0);
      const localAddCond = await file.readFloat32('in_local_add_cond');
      const cond = conditioningFeeds(
        pack.manifest,
        { kind: 'cond', prompt: { packId: pack.manifest.id, hidden, mask } },
        seconds,
        localAddCond,
        latents,
        validLatents,
        explicit,
        true,
      );
      const base = await pack.graph('dit');
      const mergedSteps: number[] = [];
      const noises = await Promise.all(Array.from({ length: STEPS }, (_, i) => file.readFloat32(`step${i}_noise`)));
      const ours = await samplePingPong({
        start: await file.readFloat32('in_initial_noise'),
        sigmas,
        stepNoise: (step) => noises[step]!,
        model: async (x, t, step) => {
          const dit = await adapted.ditAt(step);
          if (dit !== base) mergedSteps.push(step);
          const feeds = { ...cond, x: new ort.Tensor('float32', x, [1, CHANNELS, latents]), t: new ort.Tensor('float32', Float32Array.of(t), [1]) };
          return (await dit.run(feeds)).velocity!.data as Float32Array;
        },
      });
      return {
        ours,
        expected: await file.readFloat32('out_latents_keymask'),
        secondsRow: explicit.secondsRow,
        globalEmbed: await file.readFloat32('in_global_embed'),
        mergedSteps,
      };
    } finally {
      await file.close();
    }
  }

  it('lora at strength 1.0 on every step reproduces sample_pingpong_8step_lora_s1.0 out_latents_keymask', async () => {
    const run = await sample('sample_pingpong_8step_lora_s1.0', [adapter]);
    // The seconds embedding comes from the adapted conditioner, as the official run's did.
    expect(agreement(run.secondsRow, run.globalEmbed).maxAbs).toBeLessThan(1e-4);
    expect(run.mergedSteps).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const a = agreement(run.ours, run.expected);
    expect(a.cosine).toBeGreaterThanOrEqual(0.99999);
    expect(a.maxAbs).toBeLessThan(1e-4);
  });

  it('interval [0.3, 0.8] adapts only steps 5 and 6 and reproduces sample_pingpong_8step_lora_interval0.3-0.8', async () => {
    const run = await sample('sample_pingpong_8step_lora_interval0.3-0.8', [{ ...adapter, interval: [0.3, 0.8] }]);
    expect(run.mergedSteps).toEqual([5, 6]);
    expect(agreement(run.secondsRow, run.globalEmbed).maxAbs).toBeLessThan(1e-4);
    const a = agreement(run.ours, run.expected);
    expect(a.cosine).toBeGreaterThanOrEqual(0.99999);
    expect(a.maxAbs).toBeLessThan(1e-4);
  });

  it('the merged DiT is written once per stack and reused; strength 0 uses the pack DiT itself', async () => {
    const before = await readdir(cacheDir);
    await new LoraAdapters(cacheDir, () => undefined).adapt(pack, [adapter], [1, 0.5]);
    expect(await readdir(cacheDir)).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
    const zero = await new LoraAdapters(cacheDir, () => undefined).adapt(pack, [{ ...adapter, strength: 0 }], [1]);
    expect(await zero.ditAt(0)).toBe(await pack.graph('dit'));
    expect(zero.secondsWeight).toBeNull();
  });

  it('a file whose bytes no longer match the recorded sha256 is refused, naming it', async () => {
    await expect(new LoraAdapters(cacheDir, () => undefined).adapt(pack, [{ ...adapter, sha256: '0'.repeat(64) }], [1])).rejects.toThrow(
      `the LoRA file ${LORA} has changed: its sha256 is ${adapter.sha256}, but the workflow recorded ${'0'.repeat(64)}`,
    );
  });

  it('a small-tiny adapter on the medium-tiny pack is refused naming the first mismatched layer', async () => {
    const other = join(loraDir, 'small-tiny', 'lora_lora_r4.safetensors');
    const small = { ...adapter, file: other, sha256: sha256Hex(await readFile(other)) };
    await expect(new LoraAdapters(cacheDir, () => undefined).adapt(pack, [small], [1])).rejects.toThrow(
      /does not fit the pack "medium-tiny-fp32": its first mismatched layer is "model\.transformer\.layers\.0\.cross_attn\.to_kv"/,
    );
  });

  it('an fp16 pack: its float16 weights are mapped and merged, and the sample stays within the bounds of the fp16 DiT (cos 0.99999, max abs 5e-3)', async () => {
    const { dir, remove } = await tempDir();
    const half = await convertedPack(dir, 'fp16');
    try {
      const run = await sample('sample_pingpong_8step_lora_s1.0', [adapter], half);
      expect(run.mergedSteps).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const a = agreement(run.ours, run.expected);
      expect(a.cosine).toBeGreaterThanOrEqual(0.99999);
      expect(a.maxAbs).toBeLessThan(5e-3);
    } finally {
      await half.release();
      await remove();
    }
  });

  it('an int8 pack and a pack whose DiT is not named after checkpoint keys are refused in one sentence naming the pack', async () => {
    const { dir, remove } = await tempDir();
    try {
      const int8 = await convertedPack(dir, 'int8');
      await expect(new LoraAdapters(cacheDir, () => undefined).adapt(int8, [adapter], [1])).rejects.toThrow(
        'the pack "medium-tiny-int8" is int8, and LoRA adapters merge into float weights: use its float32 or float16 pack',
      );
      const testDir = join(dir, 'synthetic');
      const manifest = await writeTestPack(testDir, { id: 'tones', objective: 'rf_denoiser', layout: 'explicit' });
      const tones = new LoadedPack(testDir, manifest, 'tones', ['cpu'], () => undefined);
      await expect(new LoraAdapters(cacheDir, () => undefined).adapt(tones, [adapter], [1])).rejects.toThrow(
        'the DiT of the pack "tones" does not name its weights after the checkpoint keys ("model.model.<path>.weight"), so LoRA adapters cannot be mapped onto it; convert the checkpoint with sa3 models convert to use LoRA files',
      );
    } finally {
      await remove();
    }
  });
});
