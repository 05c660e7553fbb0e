/**
 * One DiT transformer block (`model.model.transformer.layers.N`): adaLN self-attention with
 * qk-norm, RoPE and the key mask; unmasked cross-attention; the per-block local add; adaLN
 * SiLU-GLU feed-forward. Differential attention subtracts a second softmax over q_diff, k_diff.
 */
import type { Value } from './graph/index.js';
import { sdpa, mergeHeads, splitHeads } from './attention.js';
import { headRmsNorm, rotaryEmbedding, simplifiedLayerNorm } from './fused-norm-rope.js';
import type { DitConfig } from './dit-config.js';
import { linear, splitLinear, weight, type LayerContext } from './layers.js';
import { localEmbedding, type LocalEmbeddingInputs } from './local-embedding.js';
import type { RopeTables } from './rope.js';

const BLOCK_NORM_EPS = 1e-5;
const QK_NORM_EPS = 1e-6;

export interface BlockInputs {
  /** Residual stream [B,S,E], memory tokens first. */
  readonly x: Value;
  /** Projected cross-attention tokens [B,C,E]. */
  readonly cond: Value;
  /** global_cond_embedder output [B,6E]. */
  readonly globalCond: Value;
  /** local_add_cond and what every block's local embedding shares. */
  readonly local: LocalEmbeddingInputs;
  readonly rope: RopeTables;
  /** [B,1,1,S] additive key mask, or none when the graph takes no padding mask. */
  readonly keyBias: Value | undefined;
}

async function norm(ctx: LayerContext, x: Value, key: string, dim: number, eps: number): Promise<Value> {
  return simplifiedLayerNorm(ctx.g, x, await weight(ctx, `${key}.gamma`, [dim]), eps);
}

/** Self-attention on h [B,S,E] -> [B,S,E]. */
async function selfAttention(ctx: LayerContext, cfg: DitConfig, h: Value, prefix: string, inputs: BlockInputs): Promise<Value> {
  const { g } = ctx;
  const E = cfg.embedDim;
  const H = cfg.numHeads;
  // to_qkv chunks are q, k, v (then q_diff, k_diff for differential attention).
  const [q, k, v, qDiff, kDiff] = await splitLinear(ctx, h, `${prefix}.to_qkv`, E, Array<number>(cfg.differential ? 5 : 3).fill(E), false, 2); // [B,S,E] each
  const qGamma = await g.island(() => weight(ctx, `${prefix}.q_norm.gamma`, [cfg.headDim]));
  const kGamma = await g.island(() => weight(ctx, `${prefix}.k_norm.gamma`, [cfg.headDim]));
  const heads = (x: Value) => splitHeads(g, x, H, cfg.headDim); // [B,H,S,D]
  const prepare = (x: Value, gamma: Value) => heads(rotaryEmbedding(g, headRmsNorm(g, x, gamma, H, cfg.headDim, QK_NORM_EPS), inputs.rope, H)); // [B,H,S,D]
  const out = g.island(() => {
    const attend = (qi: Value, ki: Value) => sdpa(g, prepare(qi, qGamma), prepare(ki, kGamma), heads(v!), cfg.headDim, inputs.keyBias); // [B,H,S,D]
    const single = attend(q!, k!);
    return cfg.differential ? g.sub(single, attend(qDiff!, kDiff!)) : single; // [B,H,S,D]
  });
  return linear(ctx, mergeHeads(g, out, E), `${prefix}.to_out`, E, E, false); // [B,S,E]
}

/** Cross-attention of h [B,S,E] over cond [B,C,E] -> [B,S,E]: no RoPE, no mask. */
async function crossAttention(ctx: LayerContext, cfg: DitConfig, h: Value, cond: Value, prefix: string): Promise<Value> {
  const { g } = ctx;
  const E = cfg.embedDim;
  const qParts = cfg.differential ? 2 : 1;
  const kvParts = cfg.differential ? 3 : 2;
  const qs = await splitLinear(ctx, h, `${prefix}.to_q`, E, Array<number>(qParts).fill(E), false, 2); // [B,S,E] each
  const kvs = await splitLinear(ctx, cond, `${prefix}.to_kv`, E, Array<number>(kvParts).fill(E), false, 2); // [B,C,E] each
  const qGamma = await g.island(() => weight(ctx, `${prefix}.q_norm.gamma`, [cfg.headDim]));
  const kGamma = await g.island(() => weight(ctx, `${prefix}.k_norm.gamma`, [cfg.headDim]));
  // to_kv chunks are k, k_diff, v (differential) or k, v.
  const [q, qDiff] = qs; // [B,S,E]
  const [k, kDiff] = kvs.slice(0, kvParts - 1); // [B,C,E]
  const v = kvs[kvParts - 1]!; // [B,C,E]
  const H = cfg.numHeads;
  const heads = (x: Value) => splitHeads(g, x, H, cfg.headDim); // [B,H,N,D]
  const out = g.island(() => {
    const norm = (x: Value, gamma: Value) => heads(headRmsNorm(g, x, gamma, H, cfg.headDim, QK_NORM_EPS)); // [B,H,N,D]
    const attend = (qi: Value, ki: Value) => sdpa(g, norm(qi, qGamma), norm(ki, kGamma), heads(v), cfg.headDim); // [B,H,S,D]
    const single = attend(q!, k!);
    return cfg.differential ? g.sub(single, attend(qDiff!, kDiff!)) : single; // [B,H,S,D]
  });
  return linear(ctx, mergeHeads(g, out, E), `${prefix}.to_out`, E, E, false); // [B,S,E]
}

/** x·(1 + scale) + shift with [B,1,E] modulation. */
function modulate(ctx: LayerContext, x: Value, scale: Value, shift: Value): Value {
  return ctx.g.add(ctx.g.mul(x, ctx.g.add(scale, 1)), shift);
}

/** SiLU-GLU feed-forward: [B,S,E] -> [B,S,E]. */
async function feedForward(ctx: LayerContext, cfg: DitConfig, h: Value, prefix: string): Promise<Value> {
  const { g } = ctx;
  const [value, gate] = await splitLinear(ctx, h, `${prefix}.ff.0.proj`, cfg.embedDim, [cfg.ffInner, cfg.ffInner], true, 2); // [B,S,inner] each
  return linear(ctx, g.mul(value!, g.silu(gate!)), `${prefix}.ff.2`, cfg.ffInner, cfg.embedDim, true); // [B,S,E]
}

/** Block `index`: residual stream [B,S,E] -> [B,S,E]. */
export async function transformerBlock(ctx: LayerContext, cfg: DitConfig, index: number, inputs: BlockInputs): Promise<Value> {
  const { g } = ctx;
  const E = cfg.embedDim;
  const prefix = `model.model.transformer.layers.${index}`;

  // Norms, modulation and the residual stream are float32 islands in a float16 graph.
  const [scaleSelf, shiftSelf, gateSelf, scaleFf, shiftFf, gateFf] = await g.island(async () => {
    const own = await weight(ctx, `${prefix}.to_scale_shift_gate`, [6 * E]);
    const modulation = g.unsqueeze(g.add(inputs.globalCond, own), [1]); // [B,1,6E]
    return g.split(modulation, Array<number>(6).fill(E), 2); // [B,1,E] each
  });
  const gated = (residual: Value, branch: Value, gate: Value) => g.island(() => g.add(residual, g.mul(branch, g.sigmoid(g.sub(1, gate))))); // [B,S,E]

  let x = inputs.x;
  const attnIn = await g.island(async () => modulate(ctx, await norm(ctx, x, `${prefix}.pre_norm`, E, BLOCK_NORM_EPS), scaleSelf!, shiftSelf!)); // [B,S,E]
  x = gated(x, await selfAttention(ctx, cfg, attnIn, `${prefix}.self_attn`, inputs), gateSelf!); // [B,S,E]

  const crossIn = await g.island(() => norm(ctx, x, `${prefix}.cross_attend_norm`, E, BLOCK_NORM_EPS)); // [B,S,E]
  const crossOut = await crossAttention(ctx, cfg, crossIn, inputs.cond, `${prefix}.cross_attn`); // [B,S,E]
  x = g.island(() => g.add(x, crossOut)); // [B,S,E]

  const local = await localEmbedding(ctx, inputs.local, `${prefix}.to_local_embed`, [cfg.localAddCondDim, E, E]); // [B,S,E]
  x = g.island(() => g.add(x, local)); // [B,S,E]

  const ffIn = await g.island(async () => modulate(ctx, await norm(ctx, x, `${prefix}.ff_norm`, E, BLOCK_NORM_EPS), scaleFf!, shiftFf!)); // [B,S,E]
  return gated(x, await feedForward(ctx, cfg, ffIn, `${prefix}.ff`), gateFf!); // [B,S,E]
}
