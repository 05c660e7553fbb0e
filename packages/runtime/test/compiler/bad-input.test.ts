import { copyFile, mkdir, readdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertConditionerWeights } from '../../src/compiler/conditioner-weights.js';
import { ConvertError } from '../../src/compiler/convert-error.js';
import { convertDit } from '../../src/compiler/dit-graph.js';
import { readSameConfig } from '../../src/compiler/same-config.js';
import { writeSafetensors, type Float32Tensor } from '../../src/model-files/safetensors-writer.js';
import { haveReference, openReference } from '../engine/fixtures.js';
import { checkpointPath, modelConfig, tempDir } from './compare.js';

const MODEL = 'small-tiny';

/** The small-tiny DiT and conditioner tensors, edited, written as a checkpoint in `dir`. */
async function editedCheckpoint(dir: string, edit: (tensors: Record<string, Float32Tensor>) => void): Promise<string> {
  const file = await openReference(`${MODEL}/model.safetensors`);
  const tensors: Record<string, Float32Tensor> = {};
  for (const [name, info] of file.tensors) {
    if (name.startsWith('model.model.') || name.startsWith('conditioner.')) tensors[name] = { shape: info.shape, data: await file.readFloat32(name) };
  }
  await file.close();
  edit(tensors);
  const path = join(dir, 'model.safetensors');
  await writeSafetensors(path, tensors);
  return path;
}

async function conversionError(run: () => Promise<unknown>): Promise<ConvertError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ConvertError) return error;
    throw error;
  }
  throw new Error('the conversion succeeded');
}

interface DiffusionBlock {
  type: unknown;
  config: Record<string, unknown> & { attn_kwargs: Record<string, unknown> };
}

/** A copy of a model_config.json with `edit` applied to its model.diffusion block. */
function editedConfig(config: unknown, edit: (diffusion: DiffusionBlock) => void): unknown {
  const copy = structuredClone(config) as { model: { diffusion: DiffusionBlock } };
  edit(copy.model.diffusion);
  return copy;
}

describe.runIf(haveReference())('bad checkpoints and configs fail with one sentence naming the tensor or key', () => {
  it('a missing tensor, and no half-written weights are left behind', async () => {
    const { dir, remove } = await tempDir();
    try {
      const key = 'model.model.transformer.layers.1.ff_norm.gamma';
      const path = await editedCheckpoint(dir, (t) => delete t[key]);
      const out = join(dir, 'out');
      await mkdir(out);
      const error = await conversionError(async () => convertDit(path, await modelConfig(MODEL), out));
      expect(error.code).toBe('tensor_missing');
      expect(error.message).toBe(`the checkpoint ${path} has no tensor "${key}", which the model config needs`);
      expect(await readdir(out)).toEqual([]);
    } finally {
      await remove();
    }
  });

  it('a tensor of the wrong shape', async () => {
    const { dir, remove } = await tempDir();
    try {
      const key = 'model.model.transformer.project_in.weight';
      const path = await editedCheckpoint(dir, (t) => {
        t[key] = { shape: [128, 255], data: new Float32Array(128 * 255) };
      });
      const error = await conversionError(async () => convertDit(path, await modelConfig(MODEL), dir));
      expect(error.code).toBe('tensor_shape');
      expect(error.message).toBe(`the checkpoint tensor "${key}" has shape [128, 255], but the model config implies [128, 256]`);
    } finally {
      await remove();
    }
  });

  it('a config that says differential for a plain checkpoint names the fused projection', async () => {
    const config = editedConfig(await modelConfig(MODEL), (d) => {
      d.config.attn_kwargs.differential = true;
    });
    const { dir, remove } = await tempDir();
    try {
      const error = await conversionError(() => convertDit(checkpointPath(MODEL), config, dir));
      expect(error.message).toMatch(
        /^the checkpoint tensor "model\.model\.transformer\.layers\.0\.self_attn\.to_qkv\.weight" has shape \[384, 128\], but the model config implies \[640, 128\]$/,
      );
    } finally {
      await remove();
    }
  });

  it('a checkpoint tensor the config does not account for', async () => {
    const { dir, remove } = await tempDir();
    try {
      const key = 'model.model.transformer.layers.0.self_attn.to_out.bias';
      const path = await editedCheckpoint(dir, (t) => {
        t[key] = { shape: [128], data: new Float32Array(128) };
      });
      const error = await conversionError(async () => convertDit(path, await modelConfig(MODEL), dir));
      expect(error.code).toBe('tensor_unexpected');
      expect(error.message).toContain(`"${key}"`);
    } finally {
      await remove();
    }
  });

  it.each([
    [
      'an unknown DiT key',
      (d: DiffusionBlock) => {
        d.config.use_skip_connections = true;
      },
      'model.diffusion.config.use_skip_connections',
    ],
    [
      'an unknown attention key',
      (d: DiffusionBlock) => {
        d.config.attn_kwargs.sliding_window = [4, 4];
      },
      'model.diffusion.config.attn_kwargs.sliding_window',
    ],
    [
      'another global conditioning',
      (d: DiffusionBlock) => {
        d.config.global_cond_type = 'prepend';
      },
      'model.diffusion.config.global_cond_type',
    ],
    [
      'a missing size',
      (d: DiffusionBlock) => {
        delete d.config.embed_dim;
      },
      'model.diffusion.config.embed_dim',
    ],
    [
      'another model type',
      (d: DiffusionBlock) => {
        d.type = 'adp_cfg_1d';
      },
      'model.diffusion.type',
    ],
  ])('a config with %s', async (_what, edit, key) => {
    const config = editedConfig(await modelConfig(MODEL), edit);
    const error = await conversionError(() => convertDit(checkpointPath(MODEL), config, '/nonexistent'));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain(key);
    expect(error.message.split('. ').length).toBe(1);
  });

  it('a truncated checkpoint names the tensor that runs past the end', async () => {
    const { dir, remove } = await tempDir();
    try {
      const path = join(dir, 'model.safetensors');
      await copyFile(checkpointPath(MODEL), path);
      await truncate(path, (await stat(path)).size - 1000);
      const error = await conversionError(async () => convertDit(path, await modelConfig(MODEL), dir));
      expect(error.code).toBe('checkpoint_unreadable');
      expect(error.message).toMatch(/is truncated: tensor "[^"]+" ends at byte \d+ of a \d+-byte file$/);
      const conditioner = await conversionError(async () => convertConditionerWeights(path, await modelConfig(MODEL), dir));
      expect(conditioner.message).toBe(error.message);
    } finally {
      await remove();
    }
  });
});

describe.runIf(haveReference())('codec type names', () => {
  const withCodecType = async (type: string) => {
    const copy = structuredClone(await modelConfig('medium-tiny')) as { model: { pretransform: { config: Record<'encoder' | 'decoder', { type: string }> } } };
    copy.model.pretransform.config.decoder.type = type;
    return copy;
  };

  it('"same" reads as the released "taae_v2"; another codec is refused naming the key', async () => {
    expect(readSameConfig(await withCodecType('same'), 'decoder')).toEqual(readSameConfig(await modelConfig('medium-tiny'), 'decoder'));
    await expect(withCodecType('oobleck').then((c) => readSameConfig(c, 'decoder'))).rejects.toThrow(
      new ConvertError(
        'config_invalid',
        'model_config.json sets model.pretransform.config.decoder.type to "oobleck"; only the SAME codec ("taae_v2" or "same") can be converted',
      ),
    );
  });
});
