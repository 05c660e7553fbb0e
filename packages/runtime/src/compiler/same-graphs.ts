/**
 * The SAME codec of an SA3 checkpoint as two ONNX graphs, patching and bottleneck included:
 *   encoder: audio [B,channels,N] -> latents [B,latent,L], N padded to whole chunks (SAME-S:
 *            chunk_size frames) or whole latents (SAME-L) of stride·patch samples
 *   decoder: latents [B,latent,L] -> audio [B,channels,L'·stride·patch], L' = L rounded up to
 *            whole chunks (SAME-S returns one extra latent of audio for odd L; SAME-L L' = L)
 * Weights from `pretransform.model.*`, streamed into the model's external data.
 */
import type { Value } from './graph/index.js';
import { Checkpoint } from './checkpoint.js';
import { writeConvertedGraph, type ConvertedGraph } from './converted-graph.js';
import { linear, weight, weightNormConv, type LayerContext } from './layers.js';
import { readSameConfig, type CodecSide, type SameConfig } from './same-config.js';
import { frameMultiple, lastOfEachGroup, padEndToMultiple, runTransformerBlocks, withLearnedTokens } from './same-resampling.js';
import type { Int8Selection } from './quantize-int8.js';
import type { WeightStoreOptions } from './weight-store.js';

export const CODEC_PREFIX = 'pretransform.model.';
const BOTTLENECK = `${CODEC_PREFIX}bottleneck`;

export interface ConvertCodecOptions extends WeightStoreOptions {
  /** Default "encoder.onnx" / "decoder.onnx"; the weights go to "<fileName>.data". */
  readonly fileName?: string;
  /** The Linears built as dynamically quantized int8 MatMuls (a trial: packs keep the codec float32). */
  readonly int8?: Int8Selection;
}

export interface ConvertedCodecGraph extends ConvertedGraph {
  readonly config: SameConfig;
}

/** [B,channels,T·patch] -> [B,channels·patch,T]: channel c's patch fills rows c·patch.. */
function patchify(ctx: LayerContext, cfg: SameConfig, audio: Value): Value {
  const { g } = ctx;
  const rows = g.reshape(audio, [0, cfg.audioChannels, -1, cfg.patchSize]); // [B,ch,T,patch]
  return g.reshape(g.transpose(rows, [0, 1, 3, 2]), [0, cfg.audioChannels * cfg.patchSize, -1]); // [B,ch·patch,T]
}

/** The inverse of patchify. */
function unpatchify(ctx: LayerContext, cfg: SameConfig, frames: Value): Value {
  const { g } = ctx;
  const split = g.reshape(frames, [0, cfg.audioChannels, cfg.patchSize, -1]); // [B,ch,patch,T]
  return g.reshape(g.transpose(split, [0, 1, 3, 2]), [0, cfg.audioChannels, -1]); // [B,ch,T·patch]
}

async function buildEncoder(ctx: LayerContext, cfg: SameConfig): Promise<void> {
  const { g } = ctx;
  const block = `${CODEC_PREFIX}encoder.layers.0`;
  const audio = g.input('audio', 'float32', ['batch', cfg.audioChannels, 'N']);
  // The official encoder pads the patches to whole chunks (or latents); zero audio makes the same zero patches.
  const padded = padEndToMultiple(ctx, audio, 2, 3, cfg.patchSize * frameMultiple(cfg)); // [B,ch,N']
  const frames = patchify(ctx, cfg, padded); // [B,ch·patch,T]
  const mapped = await weightNormConv(ctx, frames, `${block}.mapping`, cfg.audioChannels * cfg.patchSize, cfg.width, cfg.mappingKernel); // [B,E,T]
  const batch = g.shape(audio, { start: 0, end: 1 });
  const groups = g.reshape(g.transpose(mapped, [0, 2, 1]), [-1, cfg.stride, cfg.width]); // [B·n,stride,E]
  const tokens = await withLearnedTokens(ctx, cfg, block, groups, 1, batch); // [B,n·(stride+1),E]
  const transformed = await runTransformerBlocks(ctx, cfg, block, tokens); // [B,n·(stride+1),E]
  const summary = lastOfEachGroup(ctx, cfg, transformed, cfg.stride + 1, 1); // [B,n,E]
  const projected = g.transpose(await linear(ctx, summary, `${CODEC_PREFIX}encoder.layers.2`, cfg.width, cfg.latentDim, true), [0, 2, 1]); // [B,latent,n]
  const scale = await weight(ctx, `${BOTTLENECK}.scaling_factor`, [1, cfg.latentDim, 1]);
  const bias = await weight(ctx, `${BOTTLENECK}.bias`, [1, cfg.latentDim, 1]);
  const std = await weight(ctx, `${BOTTLENECK}.running_std`, [1]);
  const latents = g.div(g.add(g.mul(projected, scale), bias), std); // [B,latent,n]
  g.output(latents, 'latents', ['batch', cfg.latentDim, 'L']);
}

async function buildDecoder(ctx: LayerContext, cfg: SameConfig): Promise<void> {
  const { g } = ctx;
  const block = `${CODEC_PREFIX}decoder.layers.3`;
  const latents = g.input('latents', 'float32', ['batch', cfg.latentDim, 'L']);
  const std = await weight(ctx, `${BOTTLENECK}.running_std`, [1]);
  const unscaled = g.transpose(g.mul(latents, std), [0, 2, 1]); // [B,L,latent]
  const projected = await linear(ctx, unscaled, `${CODEC_PREFIX}decoder.layers.1`, cfg.latentDim, cfg.width, true); // [B,L,E]
  const padded = padEndToMultiple(ctx, projected, 1, 3, frameMultiple(cfg) / cfg.stride); // [B,L',E]
  const batch = g.shape(latents, { start: 0, end: 1 });
  const tokens = await withLearnedTokens(ctx, cfg, block, g.reshape(padded, [-1, 1, cfg.width]), cfg.stride, batch); // [B,L'·(stride+1),E]
  const transformed = await runTransformerBlocks(ctx, cfg, block, tokens); // [B,L'·(stride+1),E]
  const frames = g.transpose(lastOfEachGroup(ctx, cfg, transformed, cfg.stride + 1, cfg.stride), [0, 2, 1]); // [B,E,T]
  const mapped = await weightNormConv(ctx, frames, `${block}.mapping`, cfg.width, cfg.audioChannels * cfg.patchSize, cfg.mappingKernel); // [B,ch·patch,T]
  g.output(unpatchify(ctx, cfg, mapped), 'audio', ['batch', cfg.audioChannels, 'N']);
}

/** Converts one side of the codec of `checkpointPath` into `<outDir>/<fileName>` plus its external data. */
export async function convertSameCodec(
  side: CodecSide,
  checkpointPath: string,
  modelConfig: unknown,
  outDir: string,
  options: ConvertCodecOptions = {},
): Promise<ConvertedCodecGraph> {
  const config = readSameConfig(modelConfig, side);
  const checkpoint = await Checkpoint.open(checkpointPath);
  try {
    const info = { graphName: `same_${side}`, docString: `SA3 SAME ${side}, converted from ${checkpointPath}` };
    const { built: _, ...graph } = await writeConvertedGraph(outDir, options.fileName ?? `${side}.onnx`, options, info, async (g, store) => {
      const ctx = { g, checkpoint, store, ...(options.int8 ? { int8: options.int8 } : {}) };
      await (side === 'encoder' ? buildEncoder(ctx, config) : buildDecoder(ctx, config));
    });
    return { ...graph, config };
  } finally {
    await checkpoint.close();
  }
}
