/**
 * The token layout of a SAME TransformerResamplingBlock: every latent is a group of stride + 1
 * tokens (encoder: stride patch frames then the learned token; decoder: the latent then stride
 * learned tokens), groups are folded into fixed chunks for attention, and the second half of the
 * blocks runs on chunks shifted by half a chunk, the first and last half-chunk repeated.
 */
import type { Value } from './graph/index.js';
import { bandLayout } from './band-attention.js';
import { type LayerContext, weight } from './layers.js';
import type { SameConfig } from './same-config.js';
import { sameTransformerBlock } from './same-transformer-block.js';

/** Patch frames the input is padded to a multiple of: whole chunks, or whole latents with a sliding window. */
export function frameMultiple(cfg: SameConfig): number {
  return cfg.slidingWindow ? cfg.stride : cfg.chunkFrames;
}

/** Tokens per attention chunk: chunk_size frames plus one learned/latent token per stride of them. */
export function chunkTokens(cfg: SameConfig): number {
  return cfg.chunkFrames + cfg.chunkFrames / cfg.stride;
}

/** [B,·] -> the int64 [1] batch size, for reshapes that fold or unfold it. */
function batchDim(ctx: LayerContext, like: Value): Value {
  return ctx.g.shape(like, { start: 0, end: 1 });
}

/**
 * Interleaves `items` [B·n, a, E] with `count` copies of the learned token per group, the
 * learned tokens after the items -> [B, n·(a+count), E].
 */
export async function withLearnedTokens(ctx: LayerContext, cfg: SameConfig, blockPrefix: string, items: Value, count: number, batch: Value): Promise<Value> {
  const { g } = ctx;
  const E = cfg.width;
  const learned = await weight(ctx, `${blockPrefix}.new_tokens`, [1, 1, E]); // [1,1,E]
  const shape = g.concat([g.shape(items, { start: 0, end: 1 }), g.int64s([count, E])], 0); // [3]
  const groups = g.concat([items, g.expand(learned, shape)], 1); // [B·n,a+count,E]
  return g.reshape(groups, g.concat([batch, g.int64s([-1, E])], 0)); // [B,n·(a+count),E]
}

/** Runs blocks [from, to) on tokens [B,M,E] folded into chunks of C -> [B,M,E]. */
async function runChunks(ctx: LayerContext, cfg: SameConfig, blockPrefix: string, tokens: Value, from: number, to: number): Promise<Value> {
  const { g } = ctx;
  const E = cfg.width;
  const batch = batchDim(ctx, tokens);
  let x = g.reshape(tokens, [-1, chunkTokens(cfg), E]); // [B·nc,C,E]
  for (let i = from; i < to; i++) x = await sameTransformerBlock(ctx, cfg, blockPrefix, i, x); // [B·nc,C,E]
  return g.reshape(x, g.concat([batch, g.int64s([-1, E])], 0)); // [B,M,E]
}

/** All transformer blocks on tokens [B,M,E] (M a multiple of the chunk, or of the group with a sliding window) -> [B,M,E]. */
export async function runTransformerBlocks(ctx: LayerContext, cfg: SameConfig, blockPrefix: string, tokens: Value): Promise<Value> {
  const { g } = ctx;
  if (cfg.slidingWindow) {
    const band = bandLayout(g, tokens, { group: cfg.stride + 1, before: cfg.slidingWindow[0], after: cfg.slidingWindow[1] });
    let x = tokens;
    for (let i = 0; i < cfg.depth; i++) x = await sameTransformerBlock(ctx, cfg, blockPrefix, i, x, band); // [B,M,E]
    return x;
  }
  if (!cfg.midpointShift) return runChunks(ctx, cfg, blockPrefix, tokens, 0, cfg.depth);
  const split = Math.floor(cfg.depth / 2);
  const shift = chunkTokens(cfg) / 2;
  const aligned = await runChunks(ctx, cfg, blockPrefix, tokens, 0, split); // [B,M,E]
  const head = g.slice(aligned, [0], [shift], [1]); // [B,shift,E]
  const tail = g.slice(aligned, [-shift], [2 ** 62], [1]); // [B,shift,E]
  const shifted = await runChunks(ctx, cfg, blockPrefix, g.concat([head, aligned, tail], 1), split, cfg.depth); // [B,M+2·shift,E]
  return g.slice(shifted, [shift], [-shift], [1]); // [B,M,E]
}

/** Keeps the last `keep` tokens of every group of `group` -> [B, n·keep, E]. */
export function lastOfEachGroup(ctx: LayerContext, cfg: SameConfig, tokens: Value, group: number, keep: number): Value {
  const { g } = ctx;
  const batch = batchDim(ctx, tokens);
  const grouped = g.reshape(tokens, g.concat([batch, g.int64s([-1, group, cfg.width])], 0)); // [B,n,group,E]
  const kept = g.slice(grouped, [group - keep], [group], [2]); // [B,n,keep,E]
  return g.reshape(kept, g.concat([batch, g.int64s([-1, cfg.width])], 0)); // [B,n·keep,E]
}

/** Zero-pads axis `axis` of x at its end up to a multiple of `multiple`. */
export function padEndToMultiple(ctx: LayerContext, x: Value, axis: number, rank: number, multiple: number): Value {
  const { g } = ctx;
  const length = g.shape(x, { start: axis, end: axis + 1 }); // [1]
  const rounded = g.mul(g.div(g.add(length, g.int64s([multiple - 1])), g.int64s([multiple])), g.int64s([multiple])); // [1]
  const before = g.int64s(Array<number>(rank + axis).fill(0));
  const after = g.int64s(Array<number>(rank - axis - 1).fill(0));
  return g.pad(x, g.concat([before, g.sub(rounded, length), after], 0)); // [.., multiple·k, ..]
}
