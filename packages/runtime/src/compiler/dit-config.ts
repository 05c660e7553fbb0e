/**
 * The DiT sizes and switches, read from model_config.json (`model.diffusion.config`). Every
 * key the official DiffusionTransformer takes is known here; a key that is not, or a value
 * whose weight layout differs from the shipped SA3 DiTs, stops the conversion with a sentence
 * naming the key.
 */
import { type Json, isObject, failConfig, childObject } from './config-json.js';

export interface DitConfig {
  readonly ioChannels: number;
  readonly embedDim: number;
  readonly depth: number;
  readonly numHeads: number;
  readonly headDim: number;
  /** RotaryEmbedding(max(headDim / 2, 32)): the leading dims of each head that rotate. */
  readonly rotaryDim: number;
  readonly condTokenDim: number;
  readonly globalCondDim: number;
  readonly localAddCondDim: number;
  readonly memoryTokens: number;
  readonly differential: boolean;
  /** Inner width of the SiLU-GLU feed-forward. */
  readonly ffInner: number;
  /** Cross-attention tokens: the prompt's max_length plus one per number conditioner. */
  readonly crossTokens: number;
}

/** Keys of the DiT config and the values whose weight layout this converter reproduces. */
const ditKeys: Readonly<Record<string, (value: unknown) => boolean>> = {
  io_channels: isPositiveInteger,
  embed_dim: isPositiveInteger,
  depth: isPositiveInteger,
  num_heads: isPositiveInteger,
  cond_token_dim: isPositiveInteger,
  global_cond_dim: isPositiveInteger,
  local_add_cond_dim: isPositiveInteger,
  num_memory_tokens: (v) => Number.isInteger(v) && (v as number) >= 0,
  global_cond_type: (v) => v === 'adaLN',
  timestep_features_type: (v) => v === 'expo',
  timestep_features_logsnr: (v) => v === false,
  norm_type: (v) => v === 'rms_norm',
  norm_kwargs: (v) => isObject(v),
  attn_kwargs: (v) => isObject(v),
  ff_kwargs: (v) => isObject(v),
  patch_size: (v) => v === 1,
  project_cond_tokens: (v) => v === true,
  project_global_cond: (v) => v === true,
  input_concat_dim: (v) => v === 0,
  prepend_cond_dim: (v) => v === 0,
  transformer_type: (v) => v === 'continuous_transformer',
};
const normKeys: Readonly<Record<string, (value: unknown) => boolean>> = { force_fp32: (v) => typeof v === 'boolean' };
const attnKeys: Readonly<Record<string, (value: unknown) => boolean>> = { qk_norm: (v) => v === 'rms', differential: (v) => typeof v === 'boolean' };
const ffKeys: Readonly<Record<string, (value: unknown) => boolean>> = { mult: (v) => typeof v === 'number' && v > 0 };
const required = [
  'io_channels',
  'embed_dim',
  'depth',
  'num_heads',
  'cond_token_dim',
  'global_cond_dim',
  'local_add_cond_dim',
  'num_memory_tokens',
  'global_cond_type',
  'timestep_features_type',
  'norm_type',
];

function isPositiveInteger(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) > 0;
}

function checkKeys(block: Json, known: Readonly<Record<string, (value: unknown) => boolean>>, path: string): void {
  for (const [key, value] of Object.entries(block)) {
    const accepts = known[key];
    if (!accepts) failConfig(`model_config.json has the key ${path}.${key}, which no SA3 DiT uses, so its weight layout is unknown to this converter`);
    if (!accepts(value))
      failConfig(`model_config.json sets ${path}.${key} to ${JSON.stringify(value)}, a DiT variant whose weight layout this converter does not know`);
  }
}

/** Tokens each conditioner contributes to cross-attention, by conditioner type. */
function conditionerTokens(conditioning: Json, id: string): number {
  const configs = conditioning.configs;
  if (!Array.isArray(configs)) failConfig('model_config.json has no list at model.conditioning.configs');
  const entry = configs.find((c): c is Json => isObject(c) && c.id === id);
  if (!entry)
    failConfig(`model_config.json lists "${id}" in model.diffusion.cross_attention_cond_ids but model.conditioning.configs has no conditioner with that id`);
  const config = isObject(entry.config) ? entry.config : {};
  if (entry.type === 'number') return 1;
  if (entry.type === 't5gemma' || entry.type === 't5') {
    if (!isPositiveInteger(config.max_length)) failConfig(`model_config.json: the "${id}" conditioner has no positive max_length`);
    return config.max_length;
  }
  return failConfig(`model_config.json: the "${id}" conditioner has the type ${JSON.stringify(entry.type)}, which this converter does not know`);
}

/** The DiT config from a parsed model_config.json. */
export function readDitConfig(modelConfig: unknown): DitConfig {
  if (!isObject(modelConfig)) failConfig('model_config.json is not a JSON object');
  const model = childObject(modelConfig, 'model', '');
  const diffusion = childObject(model, 'diffusion', 'model');
  if (diffusion.type !== 'dit') failConfig(`model_config.json sets model.diffusion.type to ${JSON.stringify(diffusion.type)}; only "dit" can be converted`);
  const config = childObject(diffusion, 'config', 'model.diffusion');
  const path = 'model.diffusion.config';
  for (const key of required) if (!(key in config)) failConfig(`model_config.json has no ${path}.${key}`);
  checkKeys(config, ditKeys, path);
  const norm = isObject(config.norm_kwargs) ? config.norm_kwargs : {};
  const attn = isObject(config.attn_kwargs) ? config.attn_kwargs : {};
  const ff = isObject(config.ff_kwargs) ? config.ff_kwargs : {};
  checkKeys(norm, normKeys, `${path}.norm_kwargs`);
  checkKeys(attn, attnKeys, `${path}.attn_kwargs`);
  checkKeys(ff, ffKeys, `${path}.ff_kwargs`);
  if (attn.qk_norm !== 'rms') failConfig(`model_config.json has no ${path}.attn_kwargs.qk_norm "rms"; DiTs without qk-norm have another weight layout`);

  const embedDim = config.embed_dim as number;
  const numHeads = config.num_heads as number;
  if (embedDim % numHeads !== 0) failConfig(`model_config.json: ${path}.embed_dim ${embedDim} is not a multiple of num_heads ${numHeads}`);
  const headDim = embedDim / numHeads;
  const mult = typeof ff.mult === 'number' ? ff.mult : 4;

  const conditioning = childObject(model, 'conditioning', 'model');
  const crossIds = diffusion.cross_attention_cond_ids;
  if (!Array.isArray(crossIds) || crossIds.length === 0) failConfig('model_config.json has no list at model.diffusion.cross_attention_cond_ids');
  const crossTokens = crossIds.reduce((sum: number, id: unknown) => sum + conditionerTokens(conditioning, String(id)), 0);
  for (const key of ['input_concat_ids', 'prepend_cond_ids'] as const) {
    const ids = diffusion[key];
    if (Array.isArray(ids) && ids.length > 0) failConfig(`model_config.json sets model.diffusion.${key}, which the explicit DiT layout does not take`);
  }

  return {
    ioChannels: config.io_channels as number,
    embedDim,
    depth: config.depth as number,
    numHeads,
    headDim,
    rotaryDim: Math.max(Math.floor(headDim / 2), 32),
    condTokenDim: config.cond_token_dim as number,
    globalCondDim: config.global_cond_dim as number,
    localAddCondDim: config.local_add_cond_dim as number,
    memoryTokens: config.num_memory_tokens as number,
    differential: attn.differential === true,
    ffInner: Math.floor(embedDim * mult),
    crossTokens,
  };
}
