/**
 * The SAME codec sizes and switches, read from model_config.json (`model.pretransform`): one
 * TransformerResamplingBlock per side, its chunked attention, the patching and the bottleneck.
 */
import { type Json, isObject, failConfig, childObject } from './config-json.js';

export type CodecSide = 'encoder' | 'decoder';

export interface SameConfig {
  readonly side: CodecSide;
  /** Transformer width (channels · c_mults[0]). */
  readonly width: number;
  readonly headDim: number;
  readonly heads: number;
  readonly depth: number;
  readonly differential: boolean;
  /** Patch frames per latent (the resampling stride). */
  readonly stride: number;
  /** Frames per attention chunk (chunk_size); chunks hold chunk + chunk/stride tokens. */
  readonly chunkFrames: number;
  readonly midpointShift: boolean;
  /** SAME-L: attention limited to this many latents (groups of stride + 1 tokens) before and after; null for chunked attention. */
  readonly slidingWindow: readonly [number, number] | null;
  /** Kernel of the weight-normed mapping conv (1, or 3 with conv_mapping). */
  readonly mappingKernel: number;
  /** Blocks from this index on use the sin(π·gate) GLU. */
  readonly firstSinusoidalBlock: number;
  readonly ffInner: number;
  readonly latentDim: number;
  /** Audio channels and samples per patch frame; their product is the mapping's outer width. */
  readonly audioChannels: number;
  readonly patchSize: number;
}

function singleInteger(block: Json, key: string, path: string): number {
  const value = block[key];
  if (!Array.isArray(value) || value.length !== 1 || !Number.isInteger(value[0]) || value[0] <= 0) {
    failConfig(`model_config.json: ${path}.${key} must list exactly one positive whole number; multi-stage SAME codecs have another weight layout`);
  }
  return value[0] as number;
}

function positiveInteger(block: Json, key: string, path: string, fallback?: number): number {
  const value = block[key] ?? fallback;
  if (!Number.isInteger(value) || (value as number) <= 0) failConfig(`model_config.json has no positive whole number at ${path}.${key}`);
  return value as number;
}

/** The config of one side of the SAME codec from a parsed model_config.json. */
export function readSameConfig(modelConfig: unknown, side: CodecSide): SameConfig {
  if (!isObject(modelConfig)) failConfig('model_config.json is not a JSON object');
  const pretransform = childObject(childObject(modelConfig, 'model', ''), 'pretransform', 'model');
  if (pretransform.type !== 'autoencoder')
    failConfig(`model_config.json sets model.pretransform.type to ${JSON.stringify(pretransform.type)}; only "autoencoder" can be converted`);
  const outer = childObject(pretransform, 'config', 'model.pretransform');
  const sideBlock = childObject(outer, side, 'model.pretransform.config');
  const path = `model.pretransform.config.${side}.config`;
  // The released configs say "taae_v2"; the official factory also builds the same codec for "same".
  if (sideBlock.type !== 'taae_v2' && sideBlock.type !== 'same')
    failConfig(
      `model_config.json sets model.pretransform.config.${side}.type to ${JSON.stringify(sideBlock.type)}; only the SAME codec ("taae_v2" or "same") can be converted`,
    );
  const c = childObject(sideBlock, 'config', `model.pretransform.config.${side}`);

  for (const key of ['conformer', 'layer_scale', 'cross_attn', 'feat_scale', 'use_snake', 'use_dilated_conv']) {
    if (c[key] === true) failConfig(`model_config.json sets ${path}.${key}, a SAME variant whose weight layout this converter does not know`);
  }
  if (c.dyt === false) failConfig(`model_config.json sets ${path}.dyt to false; only the DyT-normed SAME codec can be converted`);
  if (c.variable_stride !== true) failConfig(`model_config.json: ${path}.variable_stride must be true (one learned token per latent)`);
  let slidingWindow: [number, number] | null = null;
  if (c.sliding_window != null) {
    const w = c.sliding_window;
    if (!Array.isArray(w) || w.length !== 2 || !w.every((n) => Number.isInteger(n) && n >= 0))
      failConfig(`model_config.json: ${path}.sliding_window must be two whole numbers of latents, before and after`);
    slidingWindow = [w[0] as number, w[1] as number];
  }

  const width = positiveInteger(c, 'channels', path) * singleInteger(c, 'c_mults', path);
  const headDim = positiveInteger(c, 'dim_heads', path);
  if (width % headDim !== 0) failConfig(`model_config.json: the ${side} width ${width} is not a multiple of ${path}.dim_heads ${headDim}`);
  const stride = singleInteger(c, 'strides', path);
  const chunkFrames = positiveInteger(c, 'chunk_size', path, 128);
  if (chunkFrames % stride !== 0) failConfig(`model_config.json: ${path}.chunk_size ${chunkFrames} is not a multiple of the stride ${stride}`);
  const depth = singleInteger(c, 'transformer_depths', path);
  const sinusoidal = side === 'decoder' && Array.isArray(c.sinusoidal_blocks) ? Number(c.sinusoidal_blocks[0] ?? 0) : 0;
  const ffMult = typeof c.ff_mult === 'number' ? c.ff_mult : 3;

  const patched = childObject(childObject(outer, 'pretransform', 'model.pretransform.config'), 'config', 'model.pretransform.config.pretransform');
  const audioChannels = positiveInteger(patched, 'channels', 'model.pretransform.config.pretransform.config');
  const patchSize = positiveInteger(patched, 'patch_size', 'model.pretransform.config.pretransform.config');
  const outerWidth = positiveInteger(c, side === 'encoder' ? 'in_channels' : 'out_channels', path, audioChannels * patchSize);
  if (outerWidth !== audioChannels * patchSize)
    failConfig(
      `model_config.json: ${path}.${side === 'encoder' ? 'in_channels' : 'out_channels'} ${outerWidth} is not channels × patch_size = ${audioChannels * patchSize}`,
    );

  return {
    side,
    width,
    headDim,
    heads: width / headDim,
    depth,
    differential: c.differential !== false,
    stride,
    chunkFrames,
    midpointShift: c.chunk_midpoint_shift === true,
    slidingWindow,
    mappingKernel: c.conv_mapping === true ? 3 : 1,
    // Block i is sinusoidal when depth - i < sinusoidal_blocks.
    firstSinusoidalBlock: sinusoidal > 0 ? depth - sinusoidal + 1 : depth,
    ffInner: Math.floor(width * ffMult),
    latentDim: positiveInteger(outer, 'latent_dim', 'model.pretransform.config'),
    audioChannels,
    patchSize,
  };
}
