import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSafetensors, type Float32Tensor } from '../../src/model-files/safetensors-writer.js';
import { tokenizerConfigJson, tokenizerJson } from '../../src/testpack/tokenizer-json.js';
import { SafetensorsFile } from '../../src/model-files/safetensors.js';
import { referenceDir } from '../engine/fixtures.js';

export const TEXT_FOLDER = 't5gemma-b-b-ul2';

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
export async function writeCheckpointFolder(dir: string, withTokenizer = true): Promise<void> {
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
