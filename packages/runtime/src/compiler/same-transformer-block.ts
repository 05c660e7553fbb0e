/**
 * One SAME codec transformer block (`...transformers.N`): DyT pre-norm, self-attention with DyT
 * qk-norm and its own RoPE (half the head, positions restarting in every chunk), differential
 * or plain; DyT ff-norm and a GLU feed-forward gated by SiLU or, in sinusoidal blocks, sin(π·x).
 */
import type { Value } from './graph/index.js';
import { mergeHeads, qkvHeads, sdpa } from './attention.js';
import { bandAttention } from './band-attention.js';
import { linear, splitLinear, weight, type LayerContext } from './layers.js';
import { dynamicTanh } from './norms.js';
import { rotaryEmbedding } from './fused-norm-rope.js';
import { ropeTables } from './rope.js';
import type { SameConfig } from './same-config.js';

/** The constant the official Sin activation multiplies by. */
const SIN_PI = 3.14159265359;

async function dyt(ctx: LayerContext, x: Value, key: string, dim: number): Promise<Value> {
  const alpha = await weight(ctx, `${key}.alpha`, [1]);
  const gamma = await weight(ctx, `${key}.gamma`, [dim]);
  const beta = await weight(ctx, `${key}.beta`, [dim]);
  return dynamicTanh(ctx.g, x, alpha, gamma, beta);
}

/** Self-attention over h [N,C,E] (N chunks of C tokens, or the whole sequence with a band) -> [N,C,E]. */
async function selfAttention(ctx: LayerContext, cfg: SameConfig, h: Value, prefix: string, blockPrefix: string): Promise<Value> {
  const { g } = ctx;
  const E = cfg.width;
  const chunks = await qkvHeads(ctx, h, prefix, E, cfg.heads, cfg.headDim, cfg.differential); // [N,H,C,D] each
  const rotaryDim = cfg.headDim / 2;
  const invFreq = await weight(ctx, `${blockPrefix}.rope.inv_freq`, [rotaryDim / 2]);
  const rope = ropeTables(g, g.shape(h, { start: 1, end: 2 }), invFreq, rotaryDim); // [C,rot]
  const qNorm = `${prefix}.q_norm`;
  const kNorm = `${prefix}.k_norm`;
  const qAlpha = await weight(ctx, `${qNorm}.alpha`, [1]);
  const qGamma = await weight(ctx, `${qNorm}.gamma`, [cfg.headDim]);
  const qBeta = await weight(ctx, `${qNorm}.beta`, [cfg.headDim]);
  const kAlpha = await weight(ctx, `${kNorm}.alpha`, [1]);
  const kGamma = await weight(ctx, `${kNorm}.gamma`, [cfg.headDim]);
  const kBeta = await weight(ctx, `${kNorm}.beta`, [cfg.headDim]);
  const query = (x: Value) => rotaryEmbedding(g, dynamicTanh(g, x, qAlpha, qGamma, qBeta), rope, cfg.heads); // [N,H,C,D]
  const key = (x: Value) => rotaryEmbedding(g, dynamicTanh(g, x, kAlpha, kGamma, kBeta), rope, cfg.heads); // [N,H,C,D]
  const window = cfg.slidingWindow;
  const attend = (qh: Value, kh: Value, vh: Value) =>
    window ? bandAttention(g, qh, kh, vh, cfg.headDim, { group: cfg.stride + 1, before: window[0], after: window[1] }) : sdpa(g, qh, kh, vh, cfg.headDim); // [N,H,C,D]
  const [q, k, v, qDiff, kDiff] = chunks;
  let out = attend(query(q!), key(k!), v!); // [N,H,C,D]
  if (cfg.differential) out = g.sub(out, attend(query(qDiff!), key(kDiff!), v!)); // [N,H,C,D]
  return linear(ctx, mergeHeads(g, out, E), `${prefix}.to_out`, E, E, false); // [N,C,E]
}

async function feedForward(ctx: LayerContext, cfg: SameConfig, h: Value, prefix: string, sinusoidal: boolean): Promise<Value> {
  const { g } = ctx;
  const [value, gate] = await splitLinear(ctx, h, `${prefix}.ff.0.proj`, cfg.width, [cfg.ffInner, cfg.ffInner], true, 2); // [N,C,inner] each
  const activated = sinusoidal ? g.sin(g.mul(gate!, SIN_PI)) : g.silu(gate!); // [N,C,inner]
  return linear(ctx, g.mul(value!, activated), `${prefix}.ff.2`, cfg.ffInner, cfg.width, true); // [N,C,E]
}

/** Block `index` of the side's resampling block on chunked tokens [N,C,E] -> [N,C,E]. */
export async function sameTransformerBlock(ctx: LayerContext, cfg: SameConfig, blockPrefix: string, index: number, x: Value): Promise<Value> {
  const { g } = ctx;
  const prefix = `${blockPrefix}.transformers.${index}`;
  const attn = await selfAttention(ctx, cfg, await dyt(ctx, x, `${prefix}.pre_norm`, cfg.width), `${prefix}.self_attn`, prefix); // [N,C,E]
  const afterAttn = g.add(x, attn); // [N,C,E]
  const ff = await feedForward(ctx, cfg, await dyt(ctx, afterAttn, `${prefix}.ff_norm`, cfg.width), `${prefix}.ff`, index >= cfg.firstSinusoidalBlock); // [N,C,E]
  return g.add(afterAttn, ff); // [N,C,E]
}
