/**
 * The T5Gemma encoder sizes and switches, read from the text encoder's config.json (the
 * `encoder` block of a T5GemmaConfig). Both the transformers-5 spelling (`rope_parameters`)
 * and the older one (`rope_theta`) are read.
 */
import { type Json, isObject, failConfig } from './config-json.js';

export type GeluKind = 'tanh' | 'erf';

export interface T5GemmaConfig {
  readonly hiddenSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly intermediateSize: number;
  readonly vocabSize: number;
  readonly rmsNormEps: number;
  readonly ropeTheta: number;
  /** Leading dims of each head that rotate (head_dim · partial_rotary_factor). */
  readonly rotaryDim: number;
  /** tanh(x / cap) · cap on the attention logits, or none. */
  readonly attnSoftcap: number | null;
  readonly queryPreAttnScalar: number;
  readonly gelu: GeluKind;
  readonly attentionBias: boolean;
  /** Per layer: the bidirectional window |q - k| < slidingWindow, or null for full attention. */
  readonly layerWindows: readonly (number | null)[];
}

const GELU: Readonly<Record<string, GeluKind>> = { gelu_pytorch_tanh: 'tanh', gelu_new: 'tanh', gelu: 'erf' };

function positiveInteger(block: Json, key: string, where: string): number {
  const value = block[key];
  if (!Number.isInteger(value) || (value as number) <= 0) failConfig(`${where} has no positive whole number at ${key}`);
  return value as number;
}

function positiveNumber(block: Json, key: string, where: string): number {
  const value = block[key];
  if (typeof value !== 'number' || !(value > 0)) failConfig(`${where} has no positive number at ${key}`);
  return value;
}

function ropeTheta(block: Json, where: string): number {
  const parameters = block.rope_parameters;
  if (isObject(parameters)) {
    if (parameters.rope_type !== undefined && parameters.rope_type !== 'default')
      failConfig(`${where} sets rope_parameters.rope_type to ${JSON.stringify(parameters.rope_type)}; only "default" RoPE can be converted`);
    return positiveNumber(parameters, 'rope_theta', `${where} rope_parameters`);
  }
  if (block.rope_scaling != null) failConfig(`${where} sets rope_scaling; only default RoPE can be converted`);
  return positiveNumber(block, 'rope_theta', where);
}

/** The encoder config from a parsed T5Gemma config.json; `path` names the file in messages. */
export function readT5GemmaConfig(json: unknown, path = 'config.json'): T5GemmaConfig {
  if (!isObject(json)) failConfig(`${path} is not a JSON object`);
  if (json.model_type !== undefined && json.model_type !== 't5gemma')
    failConfig(`${path} has model_type ${JSON.stringify(json.model_type)}; only a "t5gemma" text encoder can be converted`);
  const block = isObject(json.encoder) ? json.encoder : failConfig(`${path} has no "encoder" object, so it is not a T5Gemma config`);
  const where = `${path} encoder`;
  const hiddenSize = positiveInteger(block, 'hidden_size', where);
  const layers = positiveInteger(block, 'num_hidden_layers', where);
  const heads = positiveInteger(block, 'num_attention_heads', where);
  const kvHeads = block.num_key_value_heads === undefined ? heads : positiveInteger(block, 'num_key_value_heads', where);
  if (heads % kvHeads !== 0) failConfig(`${where}: num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`);
  const headDim = block.head_dim === undefined ? hiddenSize / heads : positiveInteger(block, 'head_dim', where);
  if (!Number.isInteger(headDim)) failConfig(`${where} has no head_dim and hidden_size ${hiddenSize} is not a multiple of num_attention_heads ${heads}`);
  const partial = block.partial_rotary_factor === undefined ? 1 : positiveNumber(block, 'partial_rotary_factor', where);
  const rotaryDim = Math.trunc(headDim * partial);
  if (rotaryDim % 2 !== 0 || rotaryDim > headDim)
    failConfig(`${where}: partial_rotary_factor ${partial} gives ${rotaryDim} rotary dims of ${headDim}, which RoPE cannot split in halves`);

  const activation = block.hidden_activation ?? block.hidden_act;
  const gelu = typeof activation === 'string' ? GELU[activation] : undefined;
  if (!gelu) failConfig(`${where} sets hidden_activation to ${JSON.stringify(activation)}; only ${Object.keys(GELU).join(', ')} can be converted`);
  const softcap = block.attn_logit_softcapping;
  if (softcap != null && (typeof softcap !== 'number' || !(softcap > 0))) failConfig(`${where}: attn_logit_softcapping must be a positive number or null`);
  const scalar = block.query_pre_attn_scalar === undefined ? headDim : positiveNumber(block, 'query_pre_attn_scalar', where);
  if (block.attention_bias !== undefined && typeof block.attention_bias !== 'boolean') failConfig(`${where}: attention_bias must be true or false`);

  let layerWindows: (number | null)[] = Array<number | null>(layers).fill(null);
  if (block.layer_types !== undefined) {
    const types = block.layer_types;
    if (!Array.isArray(types) || types.length !== layers) failConfig(`${where}: layer_types must list one type per layer (${layers})`);
    layerWindows = types.map((type, i) => {
      if (type === 'full_attention') return null;
      if (type === 'sliding_attention') return positiveInteger(block, 'sliding_window', where);
      return failConfig(`${where}: layer_types[${i}] is ${JSON.stringify(type)}; only "full_attention" and "sliding_attention" can be converted`);
    });
  }

  return {
    hiddenSize,
    layers,
    heads,
    kvHeads,
    headDim,
    intermediateSize: positiveInteger(block, 'intermediate_size', where),
    vocabSize: positiveInteger(block, 'vocab_size', where),
    rmsNormEps: positiveNumber(block, 'rms_norm_eps', where),
    ropeTheta: ropeTheta(block, where),
    rotaryDim,
    attnSoftcap: softcap ?? null,
    queryPreAttnScalar: scalar,
    gelu,
    attentionBias: block.attention_bias === true,
    layerWindows,
  };
}
