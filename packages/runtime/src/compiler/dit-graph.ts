/**
 * The DiT of an SA3 checkpoint as an ONNX graph in the explicit conditioning layout:
 *   x [B,io,L], t [B], cross_attn_cond [B,C,cond], global_embed [B,global],
 *   local_add_cond [B,local,L], padding_mask bool [B,L] (true = valid)  ->  velocity [B,io,L]
 * Sizes come from model_config.json and the weights from `model.model.*` of model.safetensors,
 * streamed one tensor at a time into the model's external data.
 */
import { TIME_FEATURES } from '../pack-format/index.js';
import type { Value } from './graph/index.js';
import { keyMaskBias } from './attention.js';
import { Checkpoint, type WeightAdjuster } from './checkpoint.js';
import { floatPrecisionOf, refuseUnusedTensors, writeConvertedGraph, type ConvertedGraph, type ConvertPrecision } from './converted-graph.js';
import { readDitConfig, type DitConfig } from './dit-config.js';
import { linear, mlp, pointwiseConv, weight, type LayerContext } from './layers.js';
import { localEmbeddingInputs } from './local-embedding.js';
import { ditInt8Linears } from './quantize-int8.js';
import { ropeTables } from './rope.js';
import { expoTimeFeatures } from './time-features.js';
import { transformerBlock } from './transformer-blocks.js';

export const DIT_PREFIX = 'model.model.';

export interface ConvertDitOptions {
  /** Take padding_mask and mask padded keys (default true); without it every key counts. */
  readonly keyMask?: boolean;
  /** Default "dit.onnx"; the weights go to "<fileName>.data". */
  readonly fileName?: string;
  /** Weights over this many bytes go to external data (default 1024, the ONNX convention). */
  readonly externalDataThresholdBytes?: number;
  /** Also output the timestep features, the adaLN vector and the residual stream after each block. */
  readonly debugOutputs?: boolean;
  /**
   * fp16: matmuls and the feed-forward in float16; conditioning, norms, RoPE, attention
   * scores and softmax, and the residual stream in float32. Inputs and output stay float32.
   * int8: the transformer blocks' attention projections and feed-forward as dynamically
   * quantized int8 MatMuls; everything else float32.
   */
  readonly precision?: ConvertPrecision;
  /** Called after each transformer block is written. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Replaces weights as they are read, one at a time (merged LoRA weights). */
  readonly adjustWeight?: WeightAdjuster;
}

export interface ConvertedDit extends ConvertedGraph {
  readonly config: DitConfig;
}

/** Adds every op and weight of the DiT to `ctx.g`. */
async function buildDit(ctx: LayerContext, cfg: DitConfig, options: ConvertDitOptions): Promise<void> {
  const { g } = ctx;
  const E = cfg.embedDim;
  const M = cfg.memoryTokens;
  const x = g.input('x', 'float32', ['batch', cfg.ioChannels, 'L']);
  const t = g.input('t', 'float32', ['batch']);
  const cross = g.input('cross_attn_cond', 'float32', ['batch', cfg.crossTokens, cfg.condTokenDim]);
  const globalEmbed = g.input('global_embed', 'float32', ['batch', cfg.globalCondDim]);
  const localAddCond = g.input('local_add_cond', 'float32', ['batch', cfg.localAddCondDim, 'L']);
  const paddingMask = options.keyMask === false ? undefined : g.input('padding_mask', 'bool', ['batch', 'L']);
  const debug = (value: Value, name: string, shape: readonly (number | string)[]) => {
    if (options.debugOutputs) g.output(value, name, shape);
  };

  // The conditioning works on a few vectors; it stays float32 in every precision.
  const { cond, globalCond } = await g.island(async () => {
    const features = expoTimeFeatures(g, t, TIME_FEATURES); // [B,256]
    debug(features, 'dbg_timestep_features', ['batch', TIME_FEATURES]);
    const timeEmbed = await mlp(ctx, features, `${DIT_PREFIX}to_timestep_embed`, [TIME_FEATURES, E, E], true); // [B,E]
    const cond = await mlp(ctx, cross, `${DIT_PREFIX}to_cond_embed`, [cfg.condTokenDim, E, E], false); // [B,C,E]
    const globalIn = g.add(await mlp(ctx, globalEmbed, `${DIT_PREFIX}to_global_embed`, [cfg.globalCondDim, E, E], false), timeEmbed); // [B,E]
    const globalCond = await mlp(ctx, globalIn, `${DIT_PREFIX}transformer.global_cond_embedder`, [E, E, 6 * E], true); // [B,6E]
    debug(globalCond, 'dbg_adaln_scale_shift_gate', ['batch', 6 * E]);
    return { cond, globalCond };
  });

  const preprocessed = g.add(await pointwiseConv(ctx, x, `${DIT_PREFIX}preprocess_conv`, cfg.ioChannels, cfg.ioChannels), x); // [B,io,L]
  const projected = await linear(ctx, g.transpose(preprocessed, [0, 2, 1]), `${DIT_PREFIX}transformer.project_in`, cfg.ioChannels, E, false); // [B,L,E]
  let h = projected;
  if (M > 0) {
    h = await g.island(async () => {
      const memory = await weight(ctx, `${DIT_PREFIX}transformer.memory_tokens`, [M, E]); // [M,E]
      const memoryShape = g.concat([g.shape(x, { start: 0, end: 1 }), g.int64s([M, E])], 0); // [3]
      return g.concat([g.expand(g.unsqueeze(memory, [0]), memoryShape), projected], 1); // [B,S,E], S = M+L
    });
  }

  const { rope, keyBias } = await g.island(async () => {
    const invFreq = await weight(ctx, `${DIT_PREFIX}transformer.rotary_pos_emb.inv_freq`, [cfg.rotaryDim / 2]);
    const rope = ropeTables(g, g.shape(h, { start: 1, end: 2 }), invFreq, cfg.rotaryDim); // [S,rot]
    return { rope, keyBias: paddingMask && keyMaskBias(g, paddingMask, M) }; // [B,1,1,S]
  });
  const local = await g.island(() => localEmbeddingInputs(g, localAddCond, M)); // the rows every block's local-add MLP reads
  for (let i = 0; i < cfg.depth; i++) {
    h = await transformerBlock(ctx, cfg, i, { x: h, cond, globalCond, local, rope, keyBias }); // [B,S,E]
    debug(h, `dbg_hidden_after_block${i}`, ['batch', 'S', E]);
    options.onProgress?.(i + 1, cfg.depth);
  }

  const latent = M > 0 ? g.slice(h, [M], [2 ** 62], [1]) : h; // [B,L,E]
  const out = g.transpose(await linear(ctx, latent, `${DIT_PREFIX}transformer.project_out`, E, cfg.ioChannels, false), [0, 2, 1]); // [B,io,L]
  const post = await pointwiseConv(ctx, out, `${DIT_PREFIX}postprocess_conv`, cfg.ioChannels, cfg.ioChannels); // [B,io,L]
  const velocity = g.island(() => g.add(post, out)); // [B,io,L]
  g.output(velocity, 'velocity', ['batch', cfg.ioChannels, 'L']);
}

/**
 * Converts the DiT of `checkpointPath` (model.safetensors) described by `modelConfig` (the
 * parsed model_config.json) into `<outDir>/<fileName>` plus its external data.
 */
export async function convertDit(checkpointPath: string, modelConfig: unknown, outDir: string, options: ConvertDitOptions = {}): Promise<ConvertedDit> {
  const config = readDitConfig(modelConfig);
  const checkpoint = await Checkpoint.open(checkpointPath, options.adjustWeight);
  try {
    const info = {
      graphName: 'dit',
      docString: `SA3 DiT, explicit conditioning layout, converted from ${checkpointPath}`,
      floatPrecision: floatPrecisionOf(options.precision),
    };
    const { built: _, ...graph } = await writeConvertedGraph(outDir, options.fileName ?? 'dit.onnx', options, info, async (g, store) => {
      await buildDit({ g, checkpoint, store, ...(options.precision === 'int8' ? { int8: ditInt8Linears } : {}) }, config, options);
      refuseUnusedTensors(checkpoint, DIT_PREFIX, 'DiT', 'the model config');
    });
    return { ...graph, config };
  } finally {
    await checkpoint.close();
  }
}
