/**
 * Weight-carrying layers: each reads its tensors from the checkpoint (shape-checked), stores
 * them as initializers named after their checkpoint keys, and adds the ops that use them.
 */
import type { GraphBuilder, Value } from './graph/index.js';
import type { Checkpoint } from './checkpoint.js';
import type { WeightStore } from './weight-store.js';
import { int8MatMul, int8SplitMatMul } from './int8-matmul.js';
import type { Int8Selection } from './quantize-int8.js';

export interface LayerContext {
  readonly g: GraphBuilder;
  readonly checkpoint: Checkpoint;
  readonly store: WeightStore;
  /** The Linears (by key) built as dynamically quantized int8 MatMuls; none without it. */
  readonly int8?: Int8Selection;
}

/** [rows, cols] row-major -> [cols, rows]. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[row + c]!;
  }
  return out;
}

/** A checkpoint tensor stored as it is. */
export async function weight(ctx: LayerContext, key: string, shape: readonly number[]): Promise<Value> {
  return ctx.store.add(key, await ctx.checkpoint.read(key, shape), shape);
}

/**
 * nn.Linear over the last axis: x [..., inDim] -> [..., outDim]. The [out, in] weight is
 * stored transposed so the graph needs a plain MatMul.
 */
export async function linear(ctx: LayerContext, x: Value, key: string, inDim: number, outDim: number, bias: boolean): Promise<Value> {
  const w = await ctx.checkpoint.read(`${key}.weight`, [outDim, inDim]);
  const int8 = ctx.int8?.(key);
  if (int8) return int8MatMul(ctx, x, key, transpose2d(w, outDim, inDim), inDim, outDim, int8, bias ? await weight(ctx, `${key}.bias`, [outDim]) : undefined);
  const wt = await ctx.store.add(`${key}.weight`, transpose2d(w, outDim, inDim), [inDim, outDim]);
  const y = ctx.g.matMul(x, wt); // [..., outDim]
  return bias ? ctx.g.add(y, await weight(ctx, `${key}.bias`, [outDim])) : y;
}

/**
 * A Linear whose output is used as column blocks of widths `parts` (a fused qkv, a GLU's value
 * and gate): x [..., inDim] -> one [..., part] per block (`axis` is x's last). An int8 Linear runs one MatMul per
 * block (int8-matmul.ts), so no Split copies the blocks out; otherwise one MatMul and a Split.
 */
export async function splitLinear(
  ctx: LayerContext,
  x: Value,
  key: string,
  inDim: number,
  parts: readonly number[],
  bias: boolean,
  axis: number,
): Promise<Value[]> {
  const outDim = parts.reduce((a, b) => a + b, 0);
  if (parts.length > 1 && ctx.int8?.(key) === 'single') {
    const w = await ctx.checkpoint.read(`${key}.weight`, [outDim, inDim]);
    const b = bias ? await ctx.checkpoint.read(`${key}.bias`, [outDim]) : undefined;
    return int8SplitMatMul(ctx, x, key, transpose2d(w, outDim, inDim), inDim, parts, b);
  }
  const y = await linear(ctx, x, key, inDim, outDim, bias); // [..., outDim]
  return parts.length > 1 ? ctx.g.split(y, parts, axis) : [y];
}

/** Linear, SiLU, Linear: the DiT's small conditioning MLPs (`key.0`, `key.2`). */
export async function mlp(ctx: LayerContext, x: Value, key: string, dims: readonly [number, number, number], bias: boolean): Promise<Value> {
  const hidden = await linear(ctx, x, `${key}.0`, dims[0], dims[1], bias); // [..., dims[1]]
  return linear(ctx, ctx.g.silu(hidden), `${key}.2`, dims[1], dims[2], bias); // [..., dims[2]]
}

/** Conv1d with kernel 1 and no bias on channel-first x [B, inCh, L] -> [B, outCh, L]. */
export async function pointwiseConv(ctx: LayerContext, x: Value, key: string, inCh: number, outCh: number): Promise<Value> {
  const w = await ctx.checkpoint.read(`${key}.weight`, [outCh, inCh, 1]);
  const matrix = await ctx.store.add(`${key}.weight`, w, [outCh, inCh]);
  return ctx.g.matMul(matrix, x); // [B,outCh,L]
}

/**
 * A weight-normed Conv1d (weight = g · v / ‖v‖ per output channel, folded here) with bias and
 * 'same' padding, on x [B, inCh, T] -> [B, outCh, T]. Odd kernels only.
 */
export async function weightNormConv(ctx: LayerContext, x: Value, key: string, inCh: number, outCh: number, kernel: number): Promise<Value> {
  const g = await ctx.checkpoint.read(`${key}.weight_g`, [outCh, 1, 1]);
  const v = await ctx.checkpoint.read(`${key}.weight_v`, [outCh, inCh, kernel]);
  const folded = new Float32Array(v.length);
  const per = inCh * kernel;
  for (let o = 0; o < outCh; o++) {
    let sum = 0;
    for (let i = 0; i < per; i++) sum += v[o * per + i]! ** 2;
    const scale = g[o]! / Math.sqrt(sum);
    for (let i = 0; i < per; i++) folded[o * per + i] = v[o * per + i]! * scale;
  }
  const w = await ctx.store.add(`${key}.weight`, folded, [outCh, inCh, kernel]);
  const b = await weight(ctx, `${key}.bias`, [outCh]);
  const half = (kernel - 1) / 2;
  return ctx.g.op('Conv', [x, w, b], 'float32', { kernel_shape: { ints: [kernel] }, pads: { ints: [half, half] } }); // [B,outCh,T]
}
