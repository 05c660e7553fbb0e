/**
 * One SAME codec transformer block (`...transformers.N`): DyT pre-norm, self-attention with DyT
 * qk-norm and its own RoPE (half the head, positions restarting in every chunk), differential
 * or plain; DyT ff-norm and a GLU feed-forward gated by SiLU or, in sinusoidal blocks, sin(π·x).
 */
import type { Value } from './graph/index.js';
import { mergeHeads, splitHeads } from './attention.js';
import { bandAttention, bandNeighbourhoods, type BandLayout } from './band-attention.js';
import { linear, weight, type LayerContext } from './layers.js';
import { foldedSplitLinear, type Folded } from './same-folded-linear.js';
import { dynamicTanh } from './norms.js';
import { rotaryEmbedding } from './fused-norm-rope.js';
import { ropeTables } from './rope.js';
import type { SameConfig } from './same-config.js';

/** The constant the official Sin activation multiplies by. */
const SIN_PI = 3.14159265359;

/** DyT of `key` with gamma and beta multiplied by `scale`: scale · DyT(x). */
async function scaledDyt(ctx: LayerContext, key: string, dim: number, scale: number): Promise<(x: Value) => Value> {
  const scaled = async (name: string) => {
    const values = new Float32Array(await ctx.checkpoint.read(`${key}.${name}`, [dim]));
    for (let i = 0; i < dim; i++) values[i] = values[i]! * scale;
    return ctx.store.add(`${key}.${name}_times_score_scale`, values, [dim]);
  };
  const alpha = await weight(ctx, `${key}.alpha`, [1]);
  const [gamma, beta] = [await scaled('gamma'), await scaled('beta')];
  return (x) => dynamicTanh(ctx.g, x, alpha, gamma, beta);
}

/**
 * DyT pre-norm and self-attention over x [N,C,E] (N chunks of C tokens, or the whole sequence with
 * a band) -> [N,C,E]; the norm's gamma and beta are folded into the fused qkv projection.
 */
async function selfAttention(ctx: LayerContext, cfg: SameConfig, x: Value, prefix: string, blockPrefix: string, band?: BandLayout): Promise<Value> {
  const { g } = ctx;
  const E = cfg.width;
  const { tanh, norm } = await dytTanh(ctx, x, `${blockPrefix}.pre_norm`, E);
  const parts = Array<number>(cfg.differential ? 5 : 3).fill(E);
  const projected = await foldedSplitLinear(ctx, tanh, `${prefix}.to_qkv`, E, parts, false, { norm }); // [N,C,E] each, q, k, v (q_diff, k_diff)
  const chunks = projected.map((c) => splitHeads(g, c, cfg.heads, cfg.headDim)); // [N,H,C,D] each
  const rotaryDim = cfg.headDim / 2;
  const invFreq = await weight(ctx, `${blockPrefix}.rope.inv_freq`, [rotaryDim / 2]);
  const rope = ropeTables(g, g.shape(x, { start: 1, end: 2 }), invFreq, rotaryDim); // [C,rot]
  // Both factors of the attention scale, D^-1/4 on q and on k, ride in the qk-norms' gamma and beta (RoPE is linear).
  const rootScale = Math.sqrt(1 / Math.sqrt(cfg.headDim));
  const qNorm = await scaledDyt(ctx, `${prefix}.q_norm`, cfg.headDim, rootScale);
  const kNorm = await scaledDyt(ctx, `${prefix}.k_norm`, cfg.headDim, rootScale);
  const query = (x: Value) => rotaryEmbedding(g, qNorm(x), rope, cfg.heads); // [N,H,C,D], times D^-1/4
  const key = (x: Value) => rotaryEmbedding(g, kNorm(x), rope, cfg.heads); // [N,H,C,D], times D^-1/4
  const [q, k, v, qDiff, kDiff] = chunks;
  // Both branches of the differential attention read the same values: gathered once.
  const values = band && bandNeighbourhoods(g, v!, band, cfg.headDim); // [N,H,n,K,D]
  const attend = (qh: Value, kh: Value) =>
    band && values
      ? bandAttention(g, qh, bandNeighbourhoods(g, kh, band, cfg.headDim), values, band, cfg.headDim)
      : g.matMul(g.softmax(g.matMul(qh, g.transpose(kh, [0, 1, 3, 2])), -1), v!); // [N,H,C,D]
  let out = attend(query(q!), key(k!)); // [N,H,C,D]
  if (cfg.differential) out = g.sub(out, attend(query(qDiff!), key(kDiff!))); // [N,H,C,D]
  return linear(ctx, mergeHeads(g, out, E), `${prefix}.to_out`, E, E, false); // [N,C,E]
}

/** The DyT at `key` split in two: tanh(alpha·x) in the graph, and gamma and beta [dim] for the Linear that reads it to fold in. */
async function dytTanh(ctx: LayerContext, x: Value, key: string, dim: number): Promise<{ tanh: Value; norm: Folded['norm'] }> {
  const alpha = await weight(ctx, `${key}.alpha`, [1]);
  const gamma = await ctx.checkpoint.read(`${key}.gamma`, [dim]);
  const beta = await ctx.checkpoint.read(`${key}.beta`, [dim]);
  return { tanh: ctx.g.tanh(ctx.g.mul(x, alpha)), norm: { gamma, beta } };
}

/**
 * DyT ff-norm and the GLU feed-forward on x [N,C,E] -> [N,C,E]. The norm's gamma and beta, and
 * in sinusoidal blocks the π of sin(π·gate), are folded into the input projection's weights.
 */
async function feedForward(ctx: LayerContext, cfg: SameConfig, x: Value, prefix: string, sinusoidal: boolean): Promise<Value> {
  const { g } = ctx;
  const { tanh, norm } = await dytTanh(ctx, x, `${prefix}.ff_norm`, cfg.width);
  const parts = [cfg.ffInner, cfg.ffInner];
  const [value, gate] = await foldedSplitLinear(ctx, tanh, `${prefix}.ff.ff.0.proj`, cfg.width, parts, true, {
    norm,
    blockScales: [1, sinusoidal ? SIN_PI : 1],
  }); // [N,C,inner] each
  const activated = sinusoidal ? g.sin(gate!) : g.silu(gate!); // [N,C,inner]
  return linear(ctx, g.mul(value!, activated), `${prefix}.ff.ff.2`, cfg.ffInner, cfg.width, true); // [N,C,E]
}

/**
 * Block `index` of the side's resampling block on chunked tokens [N,C,E] -> [N,C,E]; with a
 * sliding window, on the whole sequence [B,M,E] with the graph's band layout.
 */
export async function sameTransformerBlock(
  ctx: LayerContext,
  cfg: SameConfig,
  blockPrefix: string,
  index: number,
  x: Value,
  band?: BandLayout,
): Promise<Value> {
  const { g } = ctx;
  const prefix = `${blockPrefix}.transformers.${index}`;
  const attn = await selfAttention(ctx, cfg, x, `${prefix}.self_attn`, prefix, band); // [N,C,E]
  const afterAttn = g.add(x, attn); // [N,C,E]
  const ff = await feedForward(ctx, cfg, afterAttn, prefix, index >= cfg.firstSinusoidalBlock); // [N,C,E]
  return g.add(afterAttn, ff); // [N,C,E]
}
