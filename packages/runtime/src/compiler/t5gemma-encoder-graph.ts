/**
 * The T5Gemma text encoder (transformers' T5GemmaEncoder) as an ONNX graph:
 *   input_ids int64 [B,T], attention_mask int64 [B,T] (1 = real token)  ->  hidden_states [B,T,H]
 * Sizes come from the folder's config.json and the weights from `model.encoder.*` of its
 * model.safetensors (BF16 widened to float32); the decoder's tensors are never read. An
 * optional Linear after the final norm (the SA3 prompt conditioner's proj_out, present when
 * the encoder width differs from the DiT's conditioning width) comes from another checkpoint.
 */
import { join } from 'node:path';
import type { GraphBuilder, Value } from './graph/index.js';
import { Checkpoint } from './checkpoint.js';
import { readConfigFile } from './config-json.js';
import { floatPrecisionOf, refuseUnusedTensors, writeConvertedGraph, type ConvertedGraph, type ConvertPrecision } from './converted-graph.js';
import { ConvertError } from './convert-error.js';
import { linear, weight, type LayerContext } from './layers.js';
import { ropeTables } from './rope.js';
import { t5GemmaInt8Linears } from './quantize-int8.js';
import { readT5GemmaConfig, type T5GemmaConfig } from './t5gemma-config.js';
import { gemmaRmsNorm, t5GemmaEncoderLayer } from './t5gemma-layer.js';
import type { WeightStoreOptions } from './weight-store.js';

export const T5GEMMA_CONFIG_FILE = 'config.json';
export const T5GEMMA_WEIGHTS_FILE = 'model.safetensors';
/** Key prefixes of the encoder in a T5Gemma safetensors file, newest layout first. */
const ENCODER_PREFIXES = ['model.encoder.', 'encoder.'];

export interface TextProjection {
  /** The safetensors holding `<key>.weight` [outDim, hidden] and `<key>.bias` [outDim]. */
  readonly checkpointPath: string;
  readonly key: string;
  readonly outDim: number;
}

export interface ConvertTextEncoderOptions extends WeightStoreOptions {
  /** Default "text_encoder.onnx"; the weights go to "<fileName>.data". */
  readonly fileName?: string;
  readonly projection?: TextProjection;
  /**
   * fp16: matmuls, the embedding table and the MLP in float16; norms, attention and the residual
   * stream in float32. int8: the layers' q, k, v, o and MLP projections as dynamically quantized
   * int8 MatMuls; the embedding table, norms, attention and the projection after the encoder float32.
   */
  readonly precision?: ConvertPrecision;
  /** Called after each encoder layer is written. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ConvertedTextEncoder extends ConvertedGraph {
  readonly config: T5GemmaConfig;
  /** Width of hidden_states (the projection's when there is one). */
  readonly hiddenSize: number;
}

/** The parsed encoder config of a T5Gemma folder. */
export async function readT5GemmaConfigFile(dir: string): Promise<T5GemmaConfig> {
  return readT5GemmaConfig(await readConfigFile(dir, T5GEMMA_CONFIG_FILE, 'the text encoder folder'), join(dir, T5GEMMA_CONFIG_FILE));
}

/** RoPE inverse frequencies rounded step by step in float32, as torch computes base ** (i / dim). */
export function ropeInverseFrequencies(theta: number, rotaryDim: number): number[] {
  const base = Math.fround(theta);
  return Array.from({ length: rotaryDim / 2 }, (_, i) => Math.fround(1 / Math.fround(Math.pow(base, Math.fround((2 * i) / rotaryDim)))));
}

/** Bool [T,T]: |q - k| < window. */
function windowBand(g: GraphBuilder, seqLen: Value, window: number): Value {
  const index = g.range(g.scalar(0, 'int64'), g.squeeze(seqLen, [0]), g.scalar(1, 'int64')); // [T]
  const distance = g.abs(g.sub(g.unsqueeze(index, [1]), g.unsqueeze(index, [0]))); // [T,T]
  return g.less(distance, g.scalar(window, 'int64')); // [T,T]
}

function encoderPrefix(checkpoint: Checkpoint): string {
  const prefix = ENCODER_PREFIXES.find((p) => checkpoint.has(`${p}embed_tokens.weight`));
  if (!prefix)
    throw new ConvertError(
      'tensor_missing',
      `the text encoder weights ${checkpoint.path} have no tensor "model.encoder.embed_tokens.weight", so they are not a T5Gemma encoder`,
    );
  return prefix;
}

async function buildEncoder(
  ctx: LayerContext,
  cfg: T5GemmaConfig,
  prefix: string,
  options: ConvertTextEncoderOptions,
  projection: LayerContext | undefined,
): Promise<number> {
  const { g } = ctx;
  const H = cfg.hiddenSize;
  const ids = g.input('input_ids', 'int64', ['batch', 'T']);
  const mask = g.input('attention_mask', 'int64', ['batch', 'T']);
  const table = await weight(ctx, `${prefix}embed_tokens.weight`, [cfg.vocabSize, H]);
  // Gathered in the table's width, so a float16 table is never widened whole.
  const rows = g.gather(table, ids); // [B,T,H]
  let x = g.island(() => g.mul(rows, Math.fround(Math.sqrt(H)))); // [B,T,H]

  const seqLen = g.shape(ids, { start: 1, end: 2 }); // [1]
  const rope = g.island(() => ropeTables(g, seqLen, g.floats(ropeInverseFrequencies(cfg.ropeTheta, cfg.rotaryDim)), cfg.rotaryDim)); // [T,rot]
  const keyValid = g.unsqueeze(g.cast(mask, 'bool'), [1, 2, 3]); // [B,1,1,1,T]
  const allowedByWindow = new Map<number | null, Value>();
  const allowed = (window: number | null): Value => {
    let value = allowedByWindow.get(window);
    if (!value) {
      value = window === null ? keyValid : g.and(keyValid, windowBand(g, seqLen, window)); // [B,1,1,T|1,T]
      allowedByWindow.set(window, value);
    }
    return value;
  };

  for (let i = 0; i < cfg.layers; i++) {
    x = await t5GemmaEncoderLayer(ctx, cfg, `${prefix}layers.${i}`, x, rope, allowed(cfg.layerWindows[i] ?? null)); // [B,T,H]
    options.onProgress?.(i + 1, cfg.layers);
  }
  let out = await gemmaRmsNorm(ctx, x, `${prefix}norm`, cfg); // [B,T,H]
  let width = H;
  if (projection && options.projection) {
    width = options.projection.outDim;
    out = await linear(projection, out, options.projection.key, H, width, true); // [B,T,out]
  }
  g.output(out, 'hidden_states', ['batch', 'T', width]);
  return width;
}

/** Converts the T5Gemma encoder of folder `t5Dir` (config.json + model.safetensors) into `<outDir>/<fileName>` plus its external data. */
export async function convertT5GemmaEncoder(t5Dir: string, outDir: string, options: ConvertTextEncoderOptions = {}): Promise<ConvertedTextEncoder> {
  const config = await readT5GemmaConfigFile(t5Dir);
  const checkpoint = await Checkpoint.open(join(t5Dir, T5GEMMA_WEIGHTS_FILE));
  const projectionCheckpoint = options.projection
    ? await Checkpoint.open(options.projection.checkpointPath).catch(async (error: unknown) => {
        await checkpoint.close();
        throw error;
      })
    : undefined;
  try {
    const info = { graphName: 'text_encoder', docString: `T5Gemma encoder, converted from ${t5Dir}`, floatPrecision: floatPrecisionOf(options.precision) };
    const prefix = encoderPrefix(checkpoint);
    const { built: hiddenSize, ...graph } = await writeConvertedGraph(outDir, options.fileName ?? 'text_encoder.onnx', options, info, async (g, store) => {
      const width = await buildEncoder(
        { g, checkpoint, store, ...(options.precision === 'int8' ? { int8: t5GemmaInt8Linears } : {}) },
        config,
        prefix,
        options,
        projectionCheckpoint && { g, checkpoint: projectionCheckpoint, store },
      );
      refuseUnusedTensors(checkpoint, prefix, 'text encoder', 'its config.json');
      return width;
    });
    return { ...graph, config, hiddenSize };
  } finally {
    await checkpoint.close();
    await projectionCheckpoint?.close();
  }
}
