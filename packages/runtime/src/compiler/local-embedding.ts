/**
 * The DiT's per-block local-add MLP (`<block>.to_local_embed`: Linear, SiLU, Linear, with biases)
 * on local_add_cond, zero over the memory tokens.
 *
 * Text-to-audio and audio-to-audio feed local_add_cond as zeros, and the MLP gives the same vector
 * for every zero row. So one If, shared by every block, hands the MLPs a single zero row when
 * local_add_cond is all zero (instead of two float32 MatMuls over every latent of every block and
 * step: about a tenth of an int8 step at small's width), and the rows of local_add_cond otherwise
 * (inpaint, extend). Either way the MLP runs on the graph's own weights, so a LoRA merged into
 * them reaches both cases; memory-token rows are multiplied by 0 afterwards.
 */
import type { GraphBuilder, Value } from './graph/index.js';
import { mlp, type LayerContext } from './layers.js';

/** What every block's local embedding shares. */
export interface LocalEmbeddingInputs {
  /** [B,1,local] zeros when local_add_cond is all zero, else local_add_cond over [B,S,local] with zero memory rows. */
  readonly rows: Value;
  /** [1,S,1]: 0 on the memory tokens, 1 on the latents. */
  readonly latentPositions: Value;
}

/** The shared inputs, from local_add_cond [B,local,L]. */
export async function localEmbeddingInputs(g: GraphBuilder, localAddCond: Value, memoryTokens: number): Promise<LocalEmbeddingInputs> {
  const allZero = g.equal(g.reduceMax(g.abs(localAddCond), [0, 1, 2], false), 0); // []
  const channels = g.shape(localAddCond, { start: 1, end: 2 }); // [1]
  const latentShape = g.concat([g.int64s([1]), g.shape(localAddCond, { start: 2, end: 3 }), g.int64s([1])], 0); // [3]
  const latentPositions = g.pad(g.constantOfShape(latentShape, 1), [0, memoryTokens, 0, 0, 0, 0]); // [1,S,1]
  // Constants for the branches are made out here: ONNX Runtime folds Constants inside a branch into
  // initializers whose names can clash with the main graph's when it saves the optimized model.
  const zeroRowShape = g.concat([g.shape(localAddCond, { start: 0, end: 1 }), g.int64s([1]), channels], 0); // [3]
  const memoryPads = g.int64s([0, memoryTokens, 0, 0, 0, 0]); // [6]
  const [rows] = await g.ifElse(
    allZero,
    () => [g.constantOfShape(zeroRowShape, 0)], // [B,1,local]
    () => [g.pad(g.transpose(localAddCond, [0, 2, 1]), memoryPads)], // [B,S,local]
    [['batch', 'local_rows', 'local']],
  );
  return { rows: rows!, latentPositions };
}

/** The block's local embedding: [B,S,E], or [B,1,E] broadcast over [1,S,1] into [B,S,E]; memory tokens zero. */
export async function localEmbedding(ctx: LayerContext, shared: LocalEmbeddingInputs, key: string, dims: readonly [number, number, number]): Promise<Value> {
  const embedded = await mlp(ctx, shared.rows, key, dims, true); // [B,S,E] or [B,1,E]
  return ctx.g.island(() => ctx.g.mul(embedded, shared.latentPositions)); // [B,S,E]
}
