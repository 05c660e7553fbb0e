/**
 * LoRA files in the official format for checkpoints this folder makes: every DiT Linear and
 * pointwise Conv1d weight (12 + 9·depth of them, as the official add_lora adapts) and the seconds
 * conditioner's Linear, with seeded values of the size trained adapters have (lora_A at the
 * kaiming scale, lora_B small but nonzero). Stored as F32, which the official loader also reads.
 * And `loraDemoModel`: a medium-layout checkpoint config shrunk to a few MB, so a pack converted
 * from it can take these files in tests, examples and benchmarks.
 */
import { writeSafetensors, type Float32Tensor } from '../model-files/index.js';
import { realShapedModel, type RealShapedModel } from './real-shaped-configs.js';
import { checkpointTensorShapes } from './real-shaped-tensors.js';

export interface AdaptedWeight {
  /** The module path as a LoRA file names it: "model.<path>" (DiT) or "conditioners.<path>". */
  readonly module: string;
  readonly fanOut: number;
  readonly fanIn: number;
}

export interface SyntheticLoraOptions {
  readonly rank: number;
  /** Default: twice the rank (scaling 2, as train_lora's defaults give). */
  readonly alpha?: number;
  readonly seed?: number;
  /** The spread of lora_B (default 0.01). */
  readonly bScale?: number;
}

/** The weights the official add_lora adapts in a checkpoint of `modelConfig`, in checkpoint order. */
export function adaptableWeights(modelConfig: unknown): AdaptedWeight[] {
  const out: AdaptedWeight[] = [];
  for (const { name, shape } of checkpointTensorShapes(modelConfig)) {
    if (!name.endsWith('.weight')) continue;
    const matrix = shape.length === 2 || (shape.length === 3 && shape[2] === 1);
    if (!matrix) continue;
    const path = name.slice(0, -'.weight'.length);
    if (path.startsWith('model.model.')) out.push({ module: path.slice('model.'.length), fanOut: shape[0]!, fanIn: shape[1]! });
    else if (path === 'conditioner.conditioners.seconds_total.embedder.embedding.1')
      out.push({ module: path.slice('conditioner.'.length), fanOut: shape[0]!, fanIn: shape[1]! });
  }
  return out;
}

/** Writes an adapter_type "lora" file for `weights`; the same arguments always give the same bytes. */
export async function writeSyntheticLora(path: string, weights: readonly AdaptedWeight[], options: SyntheticLoraOptions): Promise<void> {
  const { rank } = options;
  const random = gaussian(options.seed ?? 1);
  const tensors: Record<string, Float32Tensor> = {};
  for (const { module, fanOut, fanIn } of weights) {
    const key = `${module}.parametrizations.weight.0`;
    tensors[`${key}.lora_A`] = { shape: [rank, fanIn], data: Float32Array.from({ length: rank * fanIn }, () => random() / Math.sqrt(fanIn)) };
    tensors[`${key}.lora_B`] = { shape: [fanOut, rank], data: Float32Array.from({ length: fanOut * rank }, () => random() * (options.bScale ?? 0.01)) };
  }
  const config = { rank, alpha: options.alpha ?? 2 * rank, adapter_type: 'lora', dropout: 0, include: null, exclude: null };
  await writeSafetensors(path, tensors, { lora_config: JSON.stringify(config) });
}

/** Medium's layout (differential attention, 64 memory tokens, SAME-L) with a 64-wide DiT, a 192-wide codec, one block per stack and a 64-word text table. */
export function loraDemoModel(): RealShapedModel {
  const base = realShapedModel('medium', { depth: 1, vocabSize: 64 });
  const config = structuredClone(base.modelConfig) as { model: Record<string, Record<string, unknown>> };
  const dit = config.model.diffusion!.config as Record<string, unknown>;
  Object.assign(dit, { embed_dim: 64, num_heads: 2 });
  const codec = config.model.pretransform!.config as { encoder: { config: Record<string, unknown> }; decoder: { config: Record<string, unknown> } };
  for (const side of [codec.encoder, codec.decoder]) Object.assign(side.config, { channels: 32 });
  return { ...base, modelConfig: config };
}

/** Box-Muller over a xorshift32 stream. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}
