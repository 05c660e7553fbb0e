import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sa3Engine } from '../../src/engine/sa3-engine.js';
import { convertCheckpointToPack, ConvertError, type PackPart } from '../../src/packs/convert/index.js';
import { PackLocator } from '../../src/packs/pack-locator.js';
import { writeSafetensors, type Float32Tensor } from '../../src/packs/testpack/safetensors-writer.js';
import { tokenizerConfigJson, tokenizerJson } from '../../src/packs/testpack/tokenizer-json.js';
import { SafetensorsFile } from '../../src/tensors/safetensors.js';
import { haveReference, referenceDir } from '../engine/fixtures.js';
import { callContext, conditioning, sameSamples } from '../engine/test-packs.js';
import { tempDir } from './compare.js';

const TEXT_FOLDER = 't5gemma-b-b-ul2';

/** Deterministic values in [-scale, scale]. */
function pseudoRandom(count: number, seed: number, scale: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * 2 * scale;
  });
}

/**
 * A checkpoint folder laid out like a release, from medium-tiny and t5gemma-tiny. The tiny
 * T5Gemma is 128 wide and medium-tiny's cond_dim is 768, so, as stable-audio-tools does for
 * such a pair, the root checkpoint gets the prompt conditioner's proj_out (random here). The
 * fixture ships no tokenizer, so tokenizer.json is the test pack's WordLevel one.
 */
async function writeCheckpointFolder(dir: string, withTokenizer = true): Promise<void> {
  const text = join(dir, TEXT_FOLDER);
  await mkdir(text, { recursive: true });
  const source = await SafetensorsFile.open(join(referenceDir, 'medium-tiny', 'model.safetensors'));
  const tensors: Record<string, Float32Tensor> = {};
  try {
    for (const [name, info] of source.tensors) tensors[name] = { shape: info.shape, data: await source.readFloat32(name) };
  } finally {
    await source.close();
  }
  tensors['conditioner.conditioners.prompt.proj_out.weight'] = { shape: [768, 128], data: pseudoRandom(768 * 128, 1, 0.05) };
  tensors['conditioner.conditioners.prompt.proj_out.bias'] = { shape: [768], data: pseudoRandom(768, 2, 0.05) };
  await writeSafetensors(join(dir, 'model.safetensors'), tensors);
  await copyFile(join(referenceDir, 'medium-tiny', 'model_config.json'), join(dir, 'model_config.json'));
  for (const file of ['config.json', 'model.safetensors']) await copyFile(join(referenceDir, 't5gemma-tiny', file), join(text, file));
  if (withTokenizer) {
    await writeFile(join(text, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
    await writeFile(join(text, 'tokenizer_config.json'), JSON.stringify(tokenizerConfigJson()));
  }
}

describe.runIf(haveReference())('checkpoint folder -> pack', () => {
  it('medium-tiny + t5gemma-tiny: a complete pack the engine generates from', async () => {
    const { dir, remove } = await tempDir();
    try {
      const checkpoint = join(dir, 'checkpoint');
      const root = join(dir, 'packs');
      await writeCheckpointFolder(checkpoint);
      const parts: PackPart[] = [];
      const manifest = await convertCheckpointToPack(checkpoint, join(root, 'medium-tiny'), { id: 'medium-tiny', onProgress: (part) => parts.push(part) });
      expect([...new Set(parts)]).toEqual(['textEncoder', 'dit', 'conditioner', 'encoder', 'decoder', 'check']);
      expect(await readdir(root)).toEqual(['medium-tiny']);
      expect((await readdir(join(root, 'medium-tiny'))).sort()).toEqual([
        'conditioner.safetensors', 'decoder.onnx', 'decoder.onnx.data', 'dit.onnx', 'dit.onnx.data', 'encoder.onnx', 'encoder.onnx.data',
        'sa3-pack.json', 'text_encoder.onnx', 'text_encoder.onnx.data', 'tokenizer.json', 'tokenizer_config.json',
      ]);
      expect(manifest).toMatchObject({
        family: 'medium', objective: 'rf_denoiser', maxSamples: 16_777_216, latentChannels: 256, samplesPerLatent: 4096, ditLayout: 'explicit', conditionerWeights: 'conditioner.safetensors',
        text: { tokenizer: 'tokenizer.json', maxTokens: 256, hiddenSize: 768 },
        codec: { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: 1, decoderEvenLatents: false },
      });
      expect(Object.keys(manifest.graphs.dit.inputs)).toContain('padding_mask');
      expect(manifest.files.every((f) => f.bytes > 0 && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);

      const engine = new Sa3Engine({ locator: new PackLocator([root]), log: () => {} });
      try {
        const generate = () => engine.generate({ model: 'medium-tiny', prompt: conditioning('a soft mid tone', 'medium-tiny'), steps: 4, cfgScale: 1, seed: 11, durationSeconds: 2 }, callContext());
        const first = await generate();
        expect(first.channels.map((c) => c.length)).toEqual([88_200, 88_200]);
        expect(first.channels.every((c) => c.every(Number.isFinite))).toBe(true);
        expect(sameSamples(first, await generate())).toBe(true);
      } finally {
        await engine.close();
      }
    } finally {
      await remove();
    }
  });

  it('a failed conversion leaves nothing behind', async () => {
    const { dir, remove } = await tempDir();
    try {
      const checkpoint = join(dir, 'checkpoint');
      await writeCheckpointFolder(checkpoint, false);
      const root = join(dir, 'packs');
      await expect(convertCheckpointToPack(checkpoint, join(root, 'medium-tiny'), { id: 'medium-tiny' })).rejects.toThrow(
        new ConvertError('checkpoint_unreadable', `the checkpoint folder ${checkpoint} has no ${TEXT_FOLDER}/tokenizer.json, the prompt encoder's tokenizer`),
      );
      expect(await readdir(root)).toEqual([]);
    } finally {
      await remove();
    }
  });
});
