/**
 * What a pack manifest takes from model_config.json besides the graphs: family, objective,
 * lengths, latent layout, the prompt conditioner and the codec's chunking rules.
 */
import { MODEL_SAMPLE_RATE, type PackManifest } from '../pack-format/index.js';
import { type Json, isObject, failConfig } from './config-json.js';
import { readDitConfig } from './dit-config.js';
import { readSameConfig } from './same-config.js';

export const DEFAULT_TEXT_SUBFOLDER = 't5gemma-b-b-ul2';

export interface PackConfig {
  readonly family: PackManifest['family'];
  readonly objective: PackManifest['objective'];
  readonly maxSamples: number;
  readonly latentChannels: number;
  readonly samplesPerLatent: number;
  /** The prompt conditioner: token count, width it must deliver, and the folder of its T5Gemma. */
  readonly prompt: { readonly id: string; readonly maxTokens: number; readonly width: number; readonly subfolder: string };
  readonly codec: PackManifest['codec'];
}

function at(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const key of path) value = isObject(value) ? value[key] : undefined;
  return value;
}

function positiveInteger(root: unknown, path: readonly string[]): number {
  const value = at(root, path);
  if (!Number.isInteger(value) || (value as number) <= 0) failConfig(`model_config.json has no positive whole number at ${path.join('.')}`);
  return value as number;
}

function promptConditioner(modelConfig: unknown): PackConfig['prompt'] {
  const configs = at(modelConfig, ['model', 'conditioning', 'configs']);
  if (!Array.isArray(configs)) failConfig('model_config.json has no list at model.conditioning.configs');
  const prompts = configs.filter((c): c is Json => isObject(c) && c.type === 't5gemma');
  if (prompts.length !== 1)
    failConfig(
      `model_config.json lists ${prompts.length} conditioners of type "t5gemma" in model.conditioning.configs; a pack takes exactly one prompt encoder`,
    );
  const entry = prompts[0]!;
  const config = isObject(entry.config) ? entry.config : {};
  const subfolder = config.subfolder ?? DEFAULT_TEXT_SUBFOLDER;
  if (typeof subfolder !== 'string' || subfolder.split(/[\\/]/).includes('..'))
    failConfig(`model_config.json: the "${String(entry.id)}" conditioner's subfolder must be a folder name inside the checkpoint`);
  return {
    id: String(entry.id),
    maxTokens: positiveInteger(config, ['max_length']),
    width: positiveInteger(modelConfig, ['model', 'conditioning', 'cond_dim']),
    subfolder,
  };
}

/** The manifest settings of a checkpoint's parsed model_config.json. */
export function readPackConfig(modelConfig: unknown): PackConfig {
  const dit = readDitConfig(modelConfig);
  const objective = at(modelConfig, ['model', 'diffusion', 'diffusion_objective']);
  if (objective !== 'rf_denoiser' && objective !== 'rectified_flow')
    failConfig(`model_config.json sets model.diffusion.diffusion_objective to ${JSON.stringify(objective)}; a pack runs "rf_denoiser" or "rectified_flow"`);
  if (at(modelConfig, ['sample_rate']) !== MODEL_SAMPLE_RATE)
    failConfig(`model_config.json has sample_rate ${JSON.stringify(at(modelConfig, ['sample_rate']))}; SA3 packs run at ${MODEL_SAMPLE_RATE}`);
  const decoder = readSameConfig(modelConfig, 'decoder');
  const samplesPerLatent = positiveInteger(modelConfig, ['model', 'pretransform', 'config', 'downsampling_ratio']);
  if (samplesPerLatent !== decoder.stride * decoder.patchSize)
    failConfig(
      `model_config.json: model.pretransform.config.downsampling_ratio ${samplesPerLatent} is not the codec's stride × patch_size = ${decoder.stride * decoder.patchSize}`,
    );
  // SAME-S (chunked attention) works on pairs of latents; SAME-L (banded attention) on single ones.
  const chunked = decoder.slidingWindow === null;
  return {
    family: dit.differential ? 'medium' : 'small',
    objective,
    maxSamples: positiveInteger(modelConfig, ['sample_size']),
    latentChannels: decoder.latentDim,
    samplesPerLatent,
    prompt: promptConditioner(modelConfig),
    codec: { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: chunked ? 2 : 1, decoderEvenLatents: chunked },
  };
}
