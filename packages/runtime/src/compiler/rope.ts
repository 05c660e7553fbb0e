/**
 * Rotary position embedding as the DiT applies it: positions 0..S-1 (memory tokens first), the
 * first `rotaryDim` dims of each head rotated with the half-split rotate_half, the rest passed
 * through. Float32 throughout.
 */
import type { GraphBuilder, Value } from './graph/index.js';

export interface RopeTables {
  /** [S, rotaryDim] */
  readonly cos: Value;
  readonly sin: Value;
  /** [S, rotaryDim/2]: each frequency once, as ONNX Runtime's RotaryEmbedding takes them. */
  readonly cosHalf: Value;
  readonly sinHalf: Value;
  readonly rotaryDim: number;
}

/** cos/sin of positions x inv_freq, the frequencies repeated twice, for a sequence of `seqLen` (int64 [1]). */
export function ropeTables(g: GraphBuilder, seqLen: Value, invFreq: Value, rotaryDim: number): RopeTables {
  const positions = g.cast(g.range(g.scalar(0, 'int64'), g.squeeze(seqLen, [0]), g.scalar(1, 'int64')), 'float32'); // [S]
  const angles = g.mul(g.unsqueeze(positions, [1]), g.unsqueeze(invFreq, [0])); // [S, rotaryDim/2]
  const [cosHalf, sinHalf] = [g.cos(angles), g.sin(angles)]; // [S, rotaryDim/2]
  return { cos: g.concat([cosHalf, cosHalf], 1), sin: g.concat([sinHalf, sinHalf], 1), cosHalf, sinHalf, rotaryDim }; // [S, rotaryDim]
}

/** x [B,H,S,D] -> [B,H,S,D] with the leading rotaryDim dims rotated. */
export function applyRope(g: GraphBuilder, x: Value, tables: RopeTables, headDim: number): Value {
  const { rotaryDim } = tables;
  const half = rotaryDim / 2;
  const rot = rotaryDim === headDim ? x : g.slice(x, [0], [rotaryDim], [3]); // [B,H,S,rot]
  const [x1, x2] = g.split(rot, [half, half], 3); // [B,H,S,rot/2] each
  const rotated = g.concat([g.neg(x2!), x1!], 3); // [B,H,S,rot]
  const out = g.add(g.mul(rot, tables.cos), g.mul(rotated, tables.sin)); // [B,H,S,rot]
  if (rotaryDim === headDim) return out;
  return g.concat([out, g.slice(x, [rotaryDim], [headDim], [3])], 3); // [B,H,S,D]
}
