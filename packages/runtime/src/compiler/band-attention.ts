/**
 * Exact banded attention for SAME-L (sliding window of whole latents), in memory linear in the
 * sequence: tokens come in groups of G = stride + 1 (one latent each), and the queries of a
 * group attend to the keys of its own group and of `before`/`after` neighbouring groups, with
 * the token-level band |k - q| <= window·G applied as a static mask and missing neighbours at
 * both ends masked out.
 */
import type { GraphBuilder, Value } from './graph/index.js';

export interface Band {
  /** Tokens per group. */
  readonly group: number;
  /** Neighbouring groups attended before and after. */
  readonly before: number;
  readonly after: number;
}

/** [B,H,S,D] with S = n·group -> [B,H,n,group,D]. */
function grouped(g: GraphBuilder, x: Value, band: Band, headDim: number): Value {
  return g.reshape(x, [0, 0, -1, band.group, headDim]); // [B,H,n,group,D]
}

/** Keys (or values) of groups g-before..g+after for every group g -> [B,H,n,(before+1+after)·group,D]. */
function neighbourhoods(g: GraphBuilder, x: Value, band: Band): Value {
  const padded = g.pad(x, [0, 0, band.before, 0, 0, 0, 0, band.after, 0, 0]); // [B,H,n+before+after,group,D]
  const count = g.shape(x, { start: 2, end: 3 }); // [1]
  const shifted = [];
  for (let offset = 0; offset <= band.before + band.after; offset++) {
    shifted.push(g.slice(padded, g.int64s([offset]), g.add(count, g.int64s([offset])), [2])); // [B,H,n,group,D]
  }
  return g.concat(shifted, 3); // [B,H,n,K,D]
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

/** softmax(q kᵀ/√D + band) v for q, k, v [B,H,S,D] -> [B,H,S,D]. */
export function bandAttention(g: GraphBuilder, q: Value, k: Value, v: Value, headDim: number, band: Band): Value {
  const rootScale = Math.sqrt(1 / Math.sqrt(headDim));
  const queries = grouped(g, g.mul(q, rootScale), band, headDim); // [B,H,n,group,D]
  const keys = neighbourhoods(g, grouped(g, g.mul(k, rootScale), band, headDim), band); // [B,H,n,K,D]
  const values = neighbourhoods(g, grouped(g, v, band, headDim), band); // [B,H,n,K,D]
  const scores = g.matMul(queries, g.transpose(keys, [0, 1, 2, 4, 3])); // [B,H,n,group,K]
  const weights = g.softmax(g.add(scores, bandBias(g, g.shape(queries, { start: 2, end: 3 }), band)), -1); // [B,H,n,group,K]
  return g.reshape(g.matMul(weights, values), [0, 0, -1, headDim]); // [B,H,S,D]
}
