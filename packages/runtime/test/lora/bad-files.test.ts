import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safetensorsBytes, type Float32Tensor } from '../../src/model-files/index.js';
import { checkLoraFits, LoraError, LoraStack, readLoraFile, readSvdBasesFile } from '../../src/lora/index.js';
import { haveReference } from '../engine/fixtures.js';
import { loraDir, loraFile, tinyModel } from './lora-fixtures.js';

const CONFIG = { rank: 4, alpha: 8, adapter_type: 'lora', dropout: 0, include: null, exclude: null };
const KV = 'model.transformer.layers.0.cross_attn.to_kv.parametrizations.weight.0';

function tensor(shape: number[]): Float32Tensor {
  return { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.01) };
}

async function refusal(run: () => unknown): Promise<LoraError> {
  const error = await Promise.resolve()
    .then(run)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(LoraError);
  const message = (error as LoraError).message;
  expect(message.split(/(?<=[.!?])\s/).length).toBe(1);
  return error as LoraError;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sa3-lora-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeLora(name: string, tensors: Record<string, Float32Tensor>, config: object | null = CONFIG): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, safetensorsBytes(tensors, config === null ? {} : { lora_config: JSON.stringify(config) }));
  return path;
}

describe('LoRA files refused in one sentence', () => {
  it('a file that is not safetensors', async () => {
    const path = join(dir, 'notes.safetensors');
    await writeFile(path, 'These are my notes about a LoRA I trained last week.\n');
    const error = await refusal(() => readLoraFile(path));
    expect(error.code).toBe('unreadable');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not safetensors/);
  });

  it('a file that does not exist', async () => {
    const error = await refusal(() => readLoraFile(join(dir, 'absent.safetensors')));
    expect(error.message).toMatch(/does not exist/);
  });

  it('a file without lora_config', async () => {
    const path = await writeLora('bare.safetensors', { [`${KV}.lora_A`]: tensor([4, 128]), [`${KV}.lora_B`]: tensor([384, 4]) }, null);
    const error = await refusal(() => readLoraFile(path));
    expect(error.code).toBe('no_lora_config');
    expect(error.message).toContain('"lora_config"');
  });

  it('an unknown adapter type', async () => {
    const path = await writeLora('lokr.safetensors', { [`${KV}.lora_A`]: tensor([4, 128]) }, { ...CONFIG, adapter_type: 'lokr' });
    const error = await refusal(() => readLoraFile(path));
    expect(error.code).toBe('unknown_adapter_type');
    expect(error.message).toContain('adapter_type "lokr"');
  });

  it('a rank that is not a positive whole number', async () => {
    const path = await writeLora('rank.safetensors', { [`${KV}.lora_A`]: tensor([4, 128]) }, { ...CONFIG, rank: 0 });
    expect((await refusal(() => readLoraFile(path))).code).toBe('bad_lora_config');
  });

  it('a key that is not an adapter tensor', async () => {
    const path = await writeLora('foreign.safetensors', { 'model.transformer.layers.0.cross_attn.to_kv.weight': tensor([384, 128]) });
    const error = await refusal(() => readLoraFile(path));
    expect(error.code).toBe('bad_key');
    expect(error.message).toContain('"model.transformer.layers.0.cross_attn.to_kv.weight"');
  });

  it('a DoRA file without its magnitudes', async () => {
    const path = await writeLora(
      'dora.safetensors',
      { [`${KV}.lora_A`]: tensor([4, 128]), [`${KV}.lora_B`]: tensor([384, 4]) },
      { ...CONFIG, adapter_type: 'dora-rows' },
    );
    const error = await refusal(() => readLoraFile(path));
    expect(error.code).toBe('missing_tensor');
    expect(error.message).toContain('magnitude');
  });

  it('an svd_bases file in the torch pickle format', async () => {
    const error = await refusal(() => readSvdBasesFile(join(dir, 'bases.pt')));
    expect(error.code).toBe('unsupported');
  });
});

describe.runIf(haveReference())('LoRA files that do not fit the model', () => {
  it('a truncated file', async () => {
    const bytes = await readFile(join(loraDir, 'medium-tiny', 'lora_lora_r4.safetensors'));
    const path = join(dir, 'truncated.safetensors');
    await writeFile(path, bytes.subarray(0, bytes.length - 1000));
    const error = await refusal(() => readLoraFile(path));
    expect(error.code).toBe('unreadable');
    expect(error.message).toMatch(/truncated/);
  });

  it('a LoRA of the other model family names its first mismatched layer', async () => {
    const medium = await tinyModel('medium-tiny');
    const small = await tinyModel('small-tiny');
    try {
      const file = await loraFile('small-tiny', 'lora_lora_r4.safetensors');
      const firstMismatch = [...file.layers.values()].find((layer) => medium.base.shape(layer.rootKey)?.join() !== small.base.shape(layer.rootKey)?.join())!;
      const error = await refusal(() => checkLoraFits(file, medium.base, 'medium-tiny'));
      expect(error.code).toBe('shape_mismatch');
      expect(error.message).toContain(`its first mismatched layer is "${firstMismatch.module}"`);
    } finally {
      await Promise.all([medium.close(), small.close()]);
    }
  });

  it('a layer the model does not have', async () => {
    const path = await writeLora('deeper.safetensors', {
      [`${KV}.lora_A`]: tensor([4, 128]),
      [`${KV}.lora_B`]: tensor([384, 4]),
      'model.transformer.layers.7.ff.ff.2.parametrizations.weight.0.lora_A': tensor([4, 512]),
      'model.transformer.layers.7.ff.ff.2.parametrizations.weight.0.lora_B': tensor([128, 4]),
    });
    const file = await readLoraFile(path);
    const { base, close } = await tinyModel('medium-tiny');
    try {
      const error = await refusal(() => LoraStack.build([{ file, strength: 1 }], base));
      expect(error.code).toBe('unknown_layer');
      expect(error.message).toContain('"model.transformer.layers.7.ff.ff.2"');
      expect(error.message).toContain('"model.model.transformer.layers.7.ff.ff.2.weight"');
    } finally {
      await close();
    }
  });

  it('a strength that is not a finite number', async () => {
    const file = await loraFile('medium-tiny', 'lora_lora_r4.safetensors');
    const { base, close } = await tinyModel('medium-tiny');
    try {
      expect((await refusal(() => LoraStack.build([{ file, strength: Number.NaN }], base))).code).toBe('bad_strength');
    } finally {
      await close();
    }
  });
});
