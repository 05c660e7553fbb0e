import { join } from 'node:path';
import { SafetensorsFile } from '../../src/model-files/safetensors.js';
import { readLoraFile, safetensorsBaseWeights, type BaseWeights, type LoraFile } from '../../src/lora/index.js';
import { referenceDir } from '../engine/fixtures.js';

export const loraDir = join(referenceDir, 'lora');

/** The weight every case file stores merged. */
export const MERGED_KEY = 'model.model.transformer.layers.0.cross_attn.to_kv.weight';
export const SECONDS_KEY = 'conditioner.conditioners.seconds_total.embedder.embedding.1.weight';

export type TinyModel = 'medium-tiny' | 'small-tiny';

export function loraFile(model: TinyModel, name: string): Promise<LoraFile> {
  return readLoraFile(join(loraDir, model, name));
}

/** The tiny checkpoint as base weights; close() when done. */
export async function tinyModel(model: TinyModel): Promise<{ base: BaseWeights; close: () => Promise<void> }> {
  const file = await SafetensorsFile.open(join(referenceDir, model, 'model.safetensors'));
  return { base: safetensorsBaseWeights(file), close: () => file.close() };
}

export async function caseTensor(model: TinyModel, caseName: string, tensor: string): Promise<Float32Array> {
  const file = await SafetensorsFile.open(join(loraDir, model, `${caseName}.safetensors`));
  try {
    return await file.readFloat32(tensor);
  } finally {
    await file.close();
  }
}

/** Each adapter type the fixtures hold at strength 0.7, with the tiny model it was trained for. */
export const adapterCases: readonly { model: TinyModel; type: string }[] = [
  { model: 'medium-tiny', type: 'lora' },
  { model: 'medium-tiny', type: 'dora-rows' },
  { model: 'medium-tiny', type: 'bora' },
  { model: 'medium-tiny', type: 'lora-xs' },
  { model: 'small-tiny', type: 'lora' },
  { model: 'small-tiny', type: 'dora-cols' },
];
