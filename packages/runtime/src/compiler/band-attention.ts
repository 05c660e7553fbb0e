/**
 * Exact banded attention for SAME-L (sliding window of whole latents), in memory linear in the
 * sequence: tokens come in groups of G = stride + 1 (one latent each), and the queries of a
 * group attend to the keys of its own group and of `before`/`after` neighbouring groups, with
 * the token-level band |k - q| <= window·G applied as a static mask and missing neighbours at
 * both ends masked out.
 *
 * The neighbourhoods are written by one Gather of whole groups each (no padded, sliced and
 * concatenated copies), and what depends on positions only (the neighbour index, the mask) is
 * built once per graph and shared by every block: `bandLayout` then `bandAttention`.
 */
import type { GraphBuilder, Value } from './graph/index.js';

export interface Band {
  /** Tokens per group. */
  readonly group: number;
  /** Neighbouring groups attended before and after. */
  readonly before: number;
  readonly after: number;
}

/** The position-only part of banded attention for one sequence length, shared by every block. */
export interface BandLayout {
  readonly band: Band;
  /** int64 [n, before+1+after]: the groups each group attends, clamped to existing ones. */
  readonly neighbours: Value;
  /** float32 [n,group,K], K = (before+1+after)·group: 0 inside the band where the group exists, -inf elsewhere. */
  readonly bias: Value;
}

/** [B,H,S,D] with S = n·group -> [B,H,n,group,D]. */
function grouped(g: GraphBuilder, x: Value, band: Band, headDim: number): Value {
  return g.reshape(x, [0, 0, -1, band.group, headDim]); // [B,H,n,group,D]
}

/** The additive mask [n,group,K]: 0 where a key is inside the band and its group exists, -inf elsewhere. */
function bandBias(g: GraphBuilder, groups: Value, band: Band): Value {
  const keys = (band.before + 1 + band.after) * band.group;
  const inBand = new Uint8Array(band.group * keys);
  for (let q = 0; q < band.group; q++) {
    for (let k = 0; k < keys; k++) {
      const delta = k - (band.before * band.group + q);
      inBand[q * keys + k] = delta >= -band.before * band.group && delta <= band.after * band.group ? 1 : 0;
    }
  }
  const staticBand = g.constant(inBand, [1, band.group, keys], 'bool'); // [1,group,K]
  const index = g.range(g.scalar(0, 'int64'), g.squeeze(groups, [0]), g.scalar(1, 'int64')); // [n]
  const exists = [];
  for (let offset = -band.before; offset <= band.after; offset++) {
    const neighbour = g.add(index, g.scalar(offset, 'int64')); // [n]
    const present = g.and(g.greaterOrEqual(neighbour, g.scalar(0, 'int64')), g.less(neighbour, g.squeeze(groups, [0]))); // [n]
    exists.push(g.expand(g.unsqueeze(present, [1, 2]), g.concat([groups, g.int64s([1, band.group])], 0))); // [n,1,group]
  }
  const valid = g.and(staticBand, g.concat(exists, 2)); // [n,group,K]
  return g.where(valid, g.scalar(0), Number.NEGATIVE_INFINITY); // [n,group,K]
}

/** The layout for tokens [B,S,E] (S a whole number of groups). */
export function bandLayout(g: GraphBuilder, tokens: Value, band: Band): BandLayout {
  const groups = g.div(g.shape(tokens, { start: 1, end: 2 }), g.int64s([band.group])); // [1]
  const count = g.squeeze(groups, [0]); // []
  const index = g.range(g.scalar(0, 'int64'), count, g.scalar(1, 'int64')); // [n]
  const offsets = g.int64s(Array.from({ length: band.before + 1 + band.after }, (_, i) => i - band.before)); // [W]
  // A neighbour past either end reads the nearest existing group instead, which the mask hides.
  const neighbours = g.clip(g.add(g.unsqueeze(index, [1]), g.unsqueeze(offsets, [0])), g.scalar(0, 'int64'), g.sub(count, g.scalar(1, 'int64'))); // [n,W]
  return { band, neighbours, bias: bandBias(g, groups, band) };
}

/** Keys (or values) [B,H,S,D] of groups g-before..g+after for every group g -> [B,H,n,K,D], one Gather. */
export function bandNeighbourhoods(g: GraphBuilder, x: Value, layout: BandLayout, headDim: number): Value {
  const gathered = g.gather(grouped(g, x, layout.band, headDim), layout.neighbours, 2); // [B,H,n,W,group,D]
  return g.reshape(gathered, [0, 0, 0, -1, headDim]); // [B,H,n,K,D]
}

/**
 * softmax(q kᵀ + band) v for q [B,H,S,D] and the neighbourhoods of k and v [B,H,n,K,D]
 * (bandNeighbourhoods) -> [B,H,S,D]; q and k arrive scaled, each by D^-1/4 for q kᵀ/√D.
 */
export function bandAttention(g: GraphBuilder, q: Value, keys: Value, values: Value, layout: BandLayout, headDim: number): Value {
  const queries = grouped(g, q, layout.band, headDim); // [B,H,n,group,D]
  const scores = g.matMul(queries, g.transpose(keys, [0, 1, 2, 4, 3])); // [B,H,n,group,K]
  const weights = g.softmax(g.add(scores, layout.bias), -1); // [B,H,n,group,K]
  return g.reshape(g.matMul(weights, values), [0, 0, -1, headDim]); // [B,H,S,D]
}
