import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertCheckpointToPack, ConvertError, type PackPart } from '../../src/compiler/index.js';
import { haveReference } from '../engine/fixtures.js';
import { TEXT_FOLDER, writeCheckpointFolder } from './checkpoint-folder.js';
import { expectTwoSecondsTwiceAlike } from '../engine/test-packs.js';
import { tempDir } from './compare.js';

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
      // .sa3-verified.json: the hashes the conversion computed, so the first generate hashes nothing.
      expect((await readdir(join(root, 'medium-tiny'))).sort()).toEqual([
        '.sa3-verified.json',
        'conditioner.safetensors',
        'decoder.onnx',
        'decoder.onnx.data',
        'dit.onnx',
        'dit.onnx.data',
        'encoder.onnx',
        'encoder.onnx.data',
        'sa3-pack.json',
        'text_encoder.onnx',
        'text_encoder.onnx.data',
        'tokenizer.json',
        'tokenizer_config.json',
      ]);
      expect(manifest).toMatchObject({
        family: 'medium',
        objective: 'rf_denoiser',
        maxSamples: 16_777_216,
        latentChannels: 256,
        samplesPerLatent: 4096,
        ditLayout: 'explicit',
        conditionerWeights: 'conditioner.safetensors',
        text: { tokenizer: 'tokenizer.json', maxTokens: 256, hiddenSize: 768 },
        codec: { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: 1, decoderEvenLatents: false },
      });
      expect(Object.keys(manifest.graphs.dit.inputs)).toContain('padding_mask');
      expect(manifest.files.every((f) => f.bytes > 0 && /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);

      await expectTwoSecondsTwiceAlike(root, 'medium-tiny', 11);
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
