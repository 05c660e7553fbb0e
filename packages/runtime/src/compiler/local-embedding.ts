/**
 * The DiT's per-block local-add MLP (`<block>.to_local_embed`: Linear, SiLU, Linear, with biases)
 * on local_add_cond, padded with zeros over the memory tokens.
 *
 * Text-to-audio and audio-to-audio feed local_add_cond as zeros, and the MLP of a zero row is one
 * vector, W2·SiLU(b1) + b2, at every latent. That vector is computed here at conversion, and an
 * If on "local_add_cond is all zero" hands it out instead of running two MatMuls over every latent
 * of every block and step (about a tenth of an int8 step at small's width). Inpaint and extend run
 * the MLP. Both branches are float32 math; they differ only in float32 rounding of the same sums.
 */
import type { GraphBuilder, Value } from './graph/index.js';
import { mlp, type LayerContext } from './layers.js';

/** What every block's local embedding shares: the If condition and where the latents sit. */
export interface LocalEmbeddingInputs {
  /** local_add_cond transposed to [B,L,local]. */
  readonly cond: Value;
  /** bool, one element: true when local_add_cond is zero everywhere. */
  readonly allZero: Value;
  /** [1,S,1]: 0 on the memory tokens, 1 on the latents. */
  readonly latentPositions: Value;
  readonly memoryTokens: number;
}

/** The shared inputs, from local_add_cond [B,local,L] and its transpose. */
export function localEmbeddingInputs(g: GraphBuilder, localAddCond: Value, cond: Value, memoryTokens: number): LocalEmbeddingInputs {
  const allZero = g.equal(g.reduceMax(g.abs(localAddCond), [0, 1, 2], false), 0); // [] bool
  const latentShape = g.concat([g.int64s([1]), g.shape(localAddCond, { start: 2, end: 3 }), g.int64s([1])], 0); // [3]
  const latentPositions = g.pad(g.constantOfShape(latentShape, 1), [0, memoryTokens, 0, 0, 0, 0]); // [1,S,1]
  return { cond, allZero, latentPositions, memoryTokens };
}

/** W2·SiLU(b1) + b2 for W2 [outDim, hidden] row-major, summed in float64. */
function zeroRowOutput(b1: Float32Array, w2: Float32Array, b2: Float32Array): Float32Array {
  const hidden = b1.length;
  const activated = Array.from(b1, (v) => v / (1 + Math.exp(-v)));
  const out = new Float32Array(b2.length);
  for (let o = 0; o < out.length; o++) {
    let sum = b2[o]!;
    for (let i = 0; i < hidden; i++) sum += w2[o * hidden + i]! * activated[i]!;
    out[o] = sum;
  }
  return out;
}

/** The block's local embedding, [B,S,E] (or [1,S,E] for zero local_add_cond), memory tokens zero. */
export async function localEmbedding(ctx: LayerContext, shared: LocalEmbeddingInputs, key: string, dims: readonly [number, number, number]): Promise<Value> {
  const { g, checkpoint, store } = ctx;
  const [, hidden, width] = dims;
  const b1 = await checkpoint.read(`${key}.0.bias`, [hidden]);
  const w2 = await checkpoint.read(`${key}.2.weight`, [width, hidden]);
  const b2 = await checkpoint.read(`${key}.2.bias`, [width]);
  const row = await store.addTensor(`${key}.zero_input_output`, zeroRowOutput(b1, w2, b2), [width], 'float32');
  const [local] = await g.ifElse(
    shared.allZero,
    () => [g.mul(shared.latentPositions, row)], // [1,S,E]
    async () => [g.pad(await mlp(ctx, shared.cond, key, dims, true), [0, shared.memoryTokens, 0, 0, 0, 0])], // [B,S,E]
    [['local_batch', 'S', width]],
  );
  return local!;
}
