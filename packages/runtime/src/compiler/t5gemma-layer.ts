/**
 * One T5Gemma encoder layer, as transformers' T5GemmaEncoderLayer computes it:
 *   x += post_self_attn_norm(self_attn(pre_self_attn_norm(x)))
 *   x += post_feedforward_norm(mlp(pre_feedforward_norm(x)))
 * with Gemma's RMSNorm (weight applied as 1 + w), RoPE on q and k, q·kᵀ scaled by
 * query_pre_attn_scalar^-½, logits soft-capped, grouped key/value heads, and a GeGLU MLP.
 */
import type { GraphBuilder, Value } from './graph/index.js';
import { mergeHeads, splitHeads } from './attention.js';
import { linear, type LayerContext } from './layers.js';
import { rmsNorm } from './norms.js';
import { applyRope, type RopeTables } from './rope.js';
import type { T5GemmaConfig } from './t5gemma-config.js';

/** Float32's lowest value: masked logits are replaced by it, so a row with no valid key stays finite. */
const MASKED_LOGIT = -3.4028234663852886e38;

/**
 * Gemma's RMSNorm: x / rms(x) · (1 + w); 1 + w is folded into the stored weight in float32 as
 * the reference rounds it. A float32 island in a float16 graph.
 */
export function gemmaRmsNorm(ctx: LayerContext, x: Value, key: string, cfg: T5GemmaConfig): Promise<Value> {
  return ctx.g.island(async () => {
    const w = await ctx.checkpoint.read(`${key}.weight`, [cfg.hiddenSize]);
    const gain = await ctx.store.add(
      `${key}.weight_plus_one`,
      w.map((v) => Math.fround(1 + v)),
      [cfg.hiddenSize],
    );
    return rmsNorm(ctx.g, x, gain, cfg.rmsNormEps); // [B,T,H]
  });
}

/** GELU, tanh-approximated (gelu_pytorch_tanh) or exact. */
function gelu(g: GraphBuilder, x: Value, kind: T5GemmaConfig['gelu']): Value {
  if (kind === 'erf') return g.mul(g.mul(x, 0.5), g.add(g.erf(g.mul(x, Math.SQRT1_2)), 1));
  const cube = g.mul(g.mul(x, x), x);
  const inner = g.mul(g.add(x, g.mul(cube, 0.044715)), Math.sqrt(2 / Math.PI));
  return g.mul(g.mul(x, 0.5), g.add(g.tanh(inner), 1));
}

/** act(gate_proj x) · up_proj x -> down_proj: [B,T,H] -> [B,T,H]. */
async function mlp(ctx: LayerContext, cfg: T5GemmaConfig, x: Value, prefix: string): Promise<Value> {
  const gate = await linear(ctx, x, `${prefix}.gate_proj`, cfg.hiddenSize, cfg.intermediateSize, false); // [B,T,I]
  const up = await linear(ctx, x, `${prefix}.up_proj`, cfg.hiddenSize, cfg.intermediateSize, false); // [B,T,I]
  return linear(ctx, ctx.g.mul(gelu(ctx.g, gate, cfg.gelu), up), `${prefix}.down_proj`, cfg.intermediateSize, cfg.hiddenSize, false); // [B,T,H]
}

/**
 * Self-attention on h [B,T,H]. Query heads are grouped as [B,KV,rep,T,D] so each group of
 * `rep` heads shares one key/value head (transformers' repeat_kv) without copying k and v.
 * `allowed` is bool [B,1,1,T,T] or broadcastable to it.
 */
async function selfAttention(ctx: LayerContext, cfg: T5GemmaConfig, h: Value, prefix: string, rope: RopeTables, allowed: Value): Promise<Value> {
  const { g } = ctx;
  const D = cfg.headDim;
  const rep = cfg.heads / cfg.kvHeads;
  const bias = cfg.attentionBias;
  const q = await linear(ctx, h, `${prefix}.q_proj`, cfg.hiddenSize, cfg.heads * D, bias); // [B,T,heads·D]
  const k = await linear(ctx, h, `${prefix}.k_proj`, cfg.hiddenSize, cfg.kvHeads * D, bias); // [B,T,KV·D]
  const v = await linear(ctx, h, `${prefix}.v_proj`, cfg.hiddenSize, cfg.kvHeads * D, bias); // [B,T,KV·D]
  // RoPE, scores, soft-cap and softmax are a float32 island in a float16 graph.
  const heads = g.island(() => {
    const qh = g.reshape(applyRope(g, splitHeads(g, q, cfg.heads, D), rope, D), [0, cfg.kvHeads, rep, -1, D]); // [B,KV,rep,T,D]
    const kh = g.unsqueeze(applyRope(g, splitHeads(g, k, cfg.kvHeads, D), rope, D), [2]); // [B,KV,1,T,D]
    const vh = g.unsqueeze(splitHeads(g, v, cfg.kvHeads, D), [2]); // [B,KV,1,T,D]
    let scores = g.mul(g.matMul(qh, g.transpose(kh, [0, 1, 2, 4, 3])), Math.pow(cfg.queryPreAttnScalar, -0.5)); // [B,KV,rep,T,T]
    if (cfg.attnSoftcap !== null) scores = g.mul(g.tanh(g.div(scores, cfg.attnSoftcap)), cfg.attnSoftcap); // [B,KV,rep,T,T]
    const weights = g.softmax(g.where(allowed, scores, MASKED_LOGIT), -1); // [B,KV,rep,T,T]
    return g.reshape(g.matMul(weights, vh), [0, cfg.heads, -1, D]); // [B,heads,T,D]
  });
  return linear(ctx, mergeHeads(g, heads, cfg.heads * D), `${prefix}.o_proj`, cfg.heads * D, cfg.hiddenSize, bias); // [B,T,H]
}

/** Layer `prefix` (e.g. model.encoder.layers.3) on x [B,T,H] -> [B,T,H]. */
export async function t5GemmaEncoderLayer(ctx: LayerContext, cfg: T5GemmaConfig, prefix: string, x: Value, rope: RopeTables, allowed: Value): Promise<Value> {
  const { g } = ctx;
  const attnIn = await gemmaRmsNorm(ctx, x, `${prefix}.pre_self_attn_layernorm`, cfg); // [B,T,H]
  const attn = await selfAttention(ctx, cfg, attnIn, `${prefix}.self_attn`, rope, allowed); // [B,T,H]
  const attnNormed = await gemmaRmsNorm(ctx, attn, `${prefix}.post_self_attn_layernorm`, cfg); // [B,T,H]
  const afterAttn = g.island(() => g.add(x, attnNormed)); // [B,T,H], the residual stream stays float32
  const ffIn = await gemmaRmsNorm(ctx, afterAttn, `${prefix}.pre_feedforward_layernorm`, cfg); // [B,T,H]
  const ff = await mlp(ctx, cfg, ffIn, `${prefix}.mlp`); // [B,T,H]
  const ffNormed = await gemmaRmsNorm(ctx, ff, `${prefix}.post_feedforward_layernorm`, cfg); // [B,T,H]
  return g.island(() => g.add(afterAttn, ffNormed)); // [B,T,H]
}
