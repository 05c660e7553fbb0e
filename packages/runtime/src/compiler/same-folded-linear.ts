/**
 * A SAME block Linear read as column blocks (the fused qkv, the GLU's value and gate), with what
 * surrounds it folded into its weights at convert time instead of run as passes over the
 * activations: the DyT norm's affine part before it (gamma scales the weight's input rows, beta
 * becomes a bias, so the Linear reads tanh(alpha·x) directly) and a constant factor per block after
 * it (π of the sinusoidal gate). Each block is its own MatMul, float32 or int8 (int8-matmul.ts), so
 * no Split copies the blocks out of one product.
 */
import type { Value } from './graph/index.js';
import { int8SplitMatMul } from './int8-matmul.js';
import { transpose2d, type LayerContext } from './layers.js';

export interface Folded {
  /** gamma and beta [inDim] of the DyT whose tanh(alpha·x) the Linear reads. */
  readonly norm: { readonly gamma: Float32Array; readonly beta: Float32Array };
  /** A factor per column block (1 where absent). */
  readonly blockScales?: readonly number[];
}

/** x [..., inDim] (the norm's tanh(alpha·x)) -> one [..., part] per block of `parts`. */
export async function foldedSplitLinear(
  ctx: LayerContext,
  x: Value,
  key: string,
  inDim: number,
  parts: readonly number[],
  bias: boolean,
  folded: Folded,
): Promise<Value[]> {
  const { g } = ctx;
  const outDim = parts.reduce((a, b) => a + b, 0);
  const wt = transpose2d(await ctx.checkpoint.read(`${key}.weight`, [outDim, inDim]), outDim, inDim); // [inDim,outDim]
  const b = bias ? new Float32Array(await ctx.checkpoint.read(`${key}.bias`, [outDim])) : new Float32Array(outDim);
  const { gamma, beta } = folded.norm;
  // y = (gamma·t + beta) W = t (diag(gamma) W) + beta W, summed in float64 before the one rounding.
  const shift = new Float64Array(outDim);
  for (let r = 0; r < inDim; r++) {
    const row = r * outDim;
    for (let c = 0; c < outDim; c++) {
      shift[c]! += beta[r]! * wt[row + c]!;
      wt[row + c] = wt[row + c]! * gamma[r]!;
    }
  }
  let first = 0;
  for (const [i, width] of parts.entries()) {
    const scale = folded.blockScales?.[i] ?? 1;
    for (let c = first; c < first + width; c++) {
      b[c] = (b[c]! + shift[c]!) * scale;
      for (let r = 0; r < inDim; r++) wt[r * outDim + c] = wt[r * outDim + c]! * scale;
    }
    first += width;
  }
  if (ctx.int8?.(key) === 'single') return int8SplitMatMul(ctx, x, key, wt, inDim, parts, b);
  const outputs: Value[] = [];
  first = 0;
  for (const [i, width] of parts.entries()) {
    const block = new Float32Array(inDim * width);
    for (let r = 0; r < inDim; r++) block.set(wt.subarray(r * outDim + first, r * outDim + first + width), r * width);
    const w = await ctx.store.add(`${key}.weight_folded_part${i}`, block, [inDim, width]);
    const blockBias = await ctx.store.add(`${key}.bias_folded_part${i}`, b.slice(first, first + width), [width]);
    outputs.push(g.add(g.matMul(x, w), blockBias)); // [..., width]
    first += width;
  }
  return outputs;
}
