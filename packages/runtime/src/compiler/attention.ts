/** Multi-head attention pieces shared by the DiT's self- and cross-attention. */
import type { GraphBuilder, Value } from './graph/index.js';
import { splitLinear, type LayerContext } from './layers.js';

/** [B,N,H·D] -> [B,H,N,D]. */
export function splitHeads(g: GraphBuilder, x: Value, heads: number, headDim: number): Value {
  return g.transpose(g.reshape(x, [0, 0, heads, headDim]), [0, 2, 1, 3]); // [B,H,N,D]
}

/**
 * The fused `<key>.to_qkv` projection of h [B,N,E] split into heads, in chunk order q, k, v
 * (then q_diff, k_diff for differential attention): [B,H,N,D] each.
 */
export async function qkvHeads(
  ctx: LayerContext,
  h: Value,
  key: string,
  width: number,
  heads: number,
  headDim: number,
  differential: boolean,
): Promise<Value[]> {
  const parts = differential ? 5 : 3;
  const chunks = await splitLinear(ctx, h, `${key}.to_qkv`, width, Array<number>(parts).fill(width), false, 2); // [B,N,E] each
  return chunks.map((c) => splitHeads(ctx.g, c, heads, headDim)); // [B,H,N,D] each
}

/** [B,H,N,D] -> [B,N,H·D]. */
export function mergeHeads(g: GraphBuilder, x: Value, width: number): Value {
  return g.reshape(g.transpose(x, [0, 2, 1, 3]), [0, 0, width]); // [B,N,H·D]
}

/**
 * softmax(q kᵀ / √D + keyBias) v for q [B,H,Nq,D], k and v [B,H,Nk,D]; keyBias [B,1,1,Nk] is 0
 * for keys that count and -inf for padded ones. q and k are each scaled by D^-1/4 before the
 * product, as PyTorch's reference SDPA does.
 */
export function sdpa(g: GraphBuilder, q: Value, k: Value, v: Value, headDim: number, keyBias?: Value): Value {
  const rootScale = Math.sqrt(1 / Math.sqrt(headDim));
  const scores = g.matMul(g.mul(q, rootScale), g.transpose(g.mul(k, rootScale), [0, 1, 3, 2])); // [B,H,Nq,Nk]
  const weights = g.softmax(keyBias ? g.add(scores, keyBias) : scores, -1); // [B,H,Nq,Nk]
  return g.matMul(weights, v); // [B,H,Nq,D]
}

/**
 * The additive key mask of self-attention: padding_mask [B,L] (true = valid) with `memoryTokens`
 * always-valid keys in front -> [B,1,1,memoryTokens+L] of 0 / -inf.
 */
export function keyMaskBias(g: GraphBuilder, paddingMask: Value, memoryTokens: number): Value {
  let valid = paddingMask; // [B,L]
  if (memoryTokens > 0) {
    const memoryShape = g.concat([g.shape(paddingMask, { start: 0, end: 1 }), g.int64s([memoryTokens])], 0); // [2]
    valid = g.concat([g.constantOfShape(memoryShape, 1, 'bool'), paddingMask], 1); // [B,M+L]
  }
  const bias = g.where(valid, g.scalar(0), Number.NEGATIVE_INFINITY); // [B,M+L]
  return g.unsqueeze(bias, [1, 2]); // [B,1,1,M+L]
}
