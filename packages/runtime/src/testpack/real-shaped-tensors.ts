/**
 * Every tensor of an SA3 checkpoint folder, named and shaped as the official files are, from the
 * configs the converter reads: the root model.safetensors (DiT under model.model., SAME codec
 * under pretransform.model., the conditioner) and the T5Gemma encoder's tensors. Each tensor also
 * says how its random values are drawn, so that activations keep the size trained ones have.
 */
import { readDitConfig, readSameConfig, readT5GemmaConfig, type SameConfig } from '../compiler/index.js';

/**
 * uniform: values in ±bound (a Linear's default init takes bound = 1/√fan-in);
 * gain: 1 ± bound (norm gains); frequencies: the RoPE inverse frequencies 1/10000^(2i/(2n)).
 */
export type TensorFill =
  { readonly kind: 'uniform'; readonly bound: number } | { readonly kind: 'gain'; readonly bound: number } | { readonly kind: 'frequencies' };

export interface TensorShape {
  readonly name: string;
  readonly shape: readonly number[];
  readonly fill: TensorFill;
}

const uniform = (bound: number): TensorFill => ({ kind: 'uniform', bound });
const GAIN: TensorFill = { kind: 'gain', bound: 0.1 };
const SMALL: TensorFill = uniform(0.02);
const FREQUENCIES: TensorFill = { kind: 'frequencies' };

/** A Linear's weight [out, in] (and bias [out]) with the default init's bound. */
function linear(name: string, out: number, inDim: number, bias: boolean): TensorShape[] {
  const fill = uniform(1 / Math.sqrt(inDim));
  return [{ name: `${name}.weight`, shape: [out, inDim], fill }, ...(bias ? [{ name: `${name}.bias`, shape: [out], fill }] : [])];
}

function ditTensors(modelConfig: unknown): TensorShape[] {
  const cfg = readDitConfig(modelConfig);
  const E = cfg.embedDim;
  const D = cfg.headDim;
  const io = cfg.ioChannels;
  const p = 'model.model.';
  const t: TensorShape[] = [
    { name: `${p}preprocess_conv.weight`, shape: [io, io, 1], fill: uniform(1 / Math.sqrt(io)) },
    { name: `${p}postprocess_conv.weight`, shape: [io, io, 1], fill: uniform(1 / Math.sqrt(io)) },
    ...linear(`${p}to_timestep_embed.0`, E, 256, true),
    ...linear(`${p}to_timestep_embed.2`, E, E, true),
    ...linear(`${p}to_cond_embed.0`, E, cfg.condTokenDim, false),
    ...linear(`${p}to_cond_embed.2`, E, E, false),
    ...linear(`${p}to_global_embed.0`, E, cfg.globalCondDim, false),
    ...linear(`${p}to_global_embed.2`, E, E, false),
    ...linear(`${p}transformer.global_cond_embedder.0`, E, E, true),
    ...linear(`${p}transformer.global_cond_embedder.2`, 6 * E, E, true),
    { name: `${p}transformer.memory_tokens`, shape: [cfg.memoryTokens, E], fill: uniform(1) },
    ...linear(`${p}transformer.project_in`, E, io, false),
    ...linear(`${p}transformer.project_out`, io, E, false),
    { name: `${p}transformer.rotary_pos_emb.inv_freq`, shape: [cfg.rotaryDim / 2], fill: FREQUENCIES },
  ];
  const branches = cfg.differential ? 2 : 1;
  for (let i = 0; i < cfg.depth; i++) {
    const l = `${p}transformer.layers.${i}.`;
    t.push(
      { name: `${l}to_scale_shift_gate`, shape: [6 * E], fill: SMALL },
      { name: `${l}pre_norm.gamma`, shape: [E], fill: GAIN },
      { name: `${l}cross_attend_norm.gamma`, shape: [E], fill: GAIN },
      { name: `${l}ff_norm.gamma`, shape: [E], fill: GAIN },
      ...linear(`${l}self_attn.to_qkv`, (2 * branches + 1) * E, E, false),
      ...linear(`${l}self_attn.to_out`, E, E, false),
      { name: `${l}self_attn.q_norm.gamma`, shape: [D], fill: GAIN },
      { name: `${l}self_attn.k_norm.gamma`, shape: [D], fill: GAIN },
      ...linear(`${l}cross_attn.to_q`, branches * E, E, false),
      ...linear(`${l}cross_attn.to_kv`, (branches + 1) * E, E, false),
      ...linear(`${l}cross_attn.to_out`, E, E, false),
      { name: `${l}cross_attn.q_norm.gamma`, shape: [D], fill: GAIN },
      { name: `${l}cross_attn.k_norm.gamma`, shape: [D], fill: GAIN },
      ...linear(`${l}to_local_embed.0`, E, cfg.localAddCondDim, true),
      ...linear(`${l}to_local_embed.2`, E, E, true),
      ...linear(`${l}ff.ff.0.proj`, 2 * cfg.ffInner, E, true),
      ...linear(`${l}ff.ff.2`, E, cfg.ffInner, true),
    );
  }
  return t;
}

/** A DyT norm: gamma · tanh(alpha · x) + beta. */
function dyt(name: string, dim: number): TensorShape[] {
  return [
    { name: `${name}.alpha`, shape: [1], fill: { kind: 'gain', bound: 0.5 } },
    { name: `${name}.beta`, shape: [dim], fill: SMALL },
    { name: `${name}.gamma`, shape: [dim], fill: GAIN },
  ];
}

/** The TransformerResamplingBlock of one codec side at `block` (its mapping, learned token and transformers). */
function resamplingBlock(cfg: SameConfig, block: string): TensorShape[] {
  const E = cfg.width;
  const outer = cfg.audioChannels * cfg.patchSize;
  const [out, inDim] = cfg.side === 'encoder' ? [E, outer] : [outer, E];
  const t: TensorShape[] = [
    { name: `${block}.mapping.bias`, shape: [out], fill: SMALL },
    { name: `${block}.mapping.weight_g`, shape: [out, 1, 1], fill: GAIN },
    { name: `${block}.mapping.weight_v`, shape: [out, inDim, cfg.mappingKernel], fill: uniform(1) },
    { name: `${block}.new_tokens`, shape: [1, 1, E], fill: uniform(1) },
  ];
  for (let i = 0; i < cfg.depth; i++) {
    const b = `${block}.transformers.${i}`;
    t.push(
      ...linear(`${b}.ff.ff.0.proj`, 2 * cfg.ffInner, E, true),
      ...linear(`${b}.ff.ff.2`, E, cfg.ffInner, true),
      ...dyt(`${b}.ff_norm`, E),
      ...dyt(`${b}.pre_norm`, E),
      { name: `${b}.rope.inv_freq`, shape: [cfg.headDim / 4], fill: FREQUENCIES },
      ...dyt(`${b}.self_attn.k_norm`, cfg.headDim),
      ...dyt(`${b}.self_attn.q_norm`, cfg.headDim),
      ...linear(`${b}.self_attn.to_out`, E, E, false),
      ...linear(`${b}.self_attn.to_qkv`, (cfg.differential ? 5 : 3) * E, E, false),
    );
  }
  return t;
}

function codecTensors(modelConfig: unknown): TensorShape[] {
  const encoder = readSameConfig(modelConfig, 'encoder');
  const decoder = readSameConfig(modelConfig, 'decoder');
  const p = 'pretransform.model.';
  const latent = encoder.latentDim;
  return [
    { name: `${p}bottleneck.bias`, shape: [1, latent, 1], fill: SMALL },
    { name: `${p}bottleneck.noise_scaling_factor`, shape: [1, 0, 1], fill: SMALL },
    { name: `${p}bottleneck.running_std`, shape: [1], fill: GAIN },
    { name: `${p}bottleneck.scaling_factor`, shape: [1, latent, 1], fill: GAIN },
    ...linear(`${p}decoder.layers.1`, decoder.width, decoder.latentDim, true),
    ...resamplingBlock(decoder, `${p}decoder.layers.3`),
    ...resamplingBlock(encoder, `${p}encoder.layers.0`),
    ...linear(`${p}encoder.layers.2`, latent, encoder.width, true),
  ];
}

function conditionerTensors(modelConfig: unknown): TensorShape[] {
  const width = (modelConfig as { model: { conditioning: { cond_dim: number } } }).model.conditioning.cond_dim;
  const p = 'conditioner.conditioners.';
  return [{ name: `${p}prompt.padding_embedding`, shape: [width], fill: SMALL }, ...linear(`${p}seconds_total.embedder.embedding.1`, width, 256, true)];
}

/** The tensors of the root model.safetensors, in the official file's (sorted) order. */
export function checkpointTensorShapes(modelConfig: unknown): TensorShape[] {
  return [...conditionerTensors(modelConfig), ...ditTensors(modelConfig), ...codecTensors(modelConfig)].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The encoder tensors of the T5Gemma model.safetensors (the released file also holds a decoder, which nothing reads). */
export function textEncoderTensorShapes(textConfig: unknown): TensorShape[] {
  const cfg = readT5GemmaConfig(textConfig);
  const H = cfg.hiddenSize;
  const p = 'model.encoder.';
  const t: TensorShape[] = [
    { name: `${p}embed_tokens.weight`, shape: [cfg.vocabSize, H], fill: uniform(0.05) },
    { name: `${p}norm.weight`, shape: [H], fill: SMALL },
  ];
  for (let i = 0; i < cfg.layers; i++) {
    const l = `${p}layers.${i}.`;
    t.push(
      ...linear(`${l}mlp.down_proj`, H, cfg.intermediateSize, false),
      ...linear(`${l}mlp.gate_proj`, cfg.intermediateSize, H, false),
      ...linear(`${l}mlp.up_proj`, cfg.intermediateSize, H, false),
      ...['post_feedforward_layernorm', 'post_self_attn_layernorm', 'pre_feedforward_layernorm', 'pre_self_attn_layernorm'].map((n) => ({
        name: `${l}${n}.weight`,
        shape: [H],
        fill: SMALL,
      })),
      ...linear(`${l}self_attn.k_proj`, cfg.kvHeads * cfg.headDim, H, cfg.attentionBias),
      ...linear(`${l}self_attn.o_proj`, H, cfg.heads * cfg.headDim, cfg.attentionBias),
      ...linear(`${l}self_attn.q_proj`, cfg.heads * cfg.headDim, H, cfg.attentionBias),
      ...linear(`${l}self_attn.v_proj`, cfg.kvHeads * cfg.headDim, H, cfg.attentionBias),
    );
  }
  return t.sort((a, b) => (a.name < b.name ? -1 : 1));
}
