import * as ort from './onnxruntime.js';
import { CROSS_ATTENTION_TOKENS, LOCAL_CHANNELS, type PackManifest } from '../pack-format/index.js';
import type { EncodedPrompt } from './prompt-encoding.js';

/** What the explicit layout builds cross_attn_cond and global_embed from. */
export interface ExplicitConditioning {
  /** The seconds embedding [hidden]: the last cross-attention token and the global embedding. */
  readonly secondsRow: Float32Array;
  /** The learned padding for the prompt's padded rows; null when the text encoder's rows already carry it. */
  readonly paddingEmbedding: Float32Array | null;
}

/** Which branch of classifier-free guidance a DiT call is for. */
export type Branch =
  { readonly kind: 'cond'; readonly prompt: EncodedPrompt } | { readonly kind: 'negative'; readonly prompt: EncodedPrompt } | { readonly kind: 'uncond' };

/**
 * The conditioning inputs of one DiT call (everything but x and t), built once per branch and
 * reused for every step.
 */
export function conditioningFeeds(
  pack: PackManifest,
  branch: Branch,
  seconds: number,
  localAddCond: Float32Array,
  latents: number,
  validLatents: number,
  explicit: ExplicitConditioning | null,
  keyMask: boolean,
): Record<string, ort.Tensor> {
  const tokens = pack.text.maxTokens;
  const hiddenSize = pack.text.hiddenSize;
  const feeds: Record<string, ort.Tensor> = {
    local_add_cond: new ort.Tensor('float32', localAddCond, [1, LOCAL_CHANNELS, latents]),
  };
  if (pack.ditLayout === 'baked') {
    // The baked graph applies the learned padding itself; the unconditional branch is an
    // all-padding prompt (zero rows, zero mask), as the official optimized runtimes feed it.
    const prompt = branch.kind === 'uncond' ? null : branch.prompt;
    feeds.t5_hidden = new ort.Tensor('float32', prompt ? prompt.hidden : new Float32Array(tokens * hiddenSize), [1, tokens, hiddenSize]);
    feeds.t5_mask = new ort.Tensor('float32', prompt ? prompt.mask : new Float32Array(tokens), [1, tokens]);
    feeds.seconds_total = new ort.Tensor('float32', Float32Array.of(seconds), [1]);
    return feeds;
  }
  if (!explicit) throw new Error(`the pack ${pack.id} has no seconds conditioner`);
  const { secondsRow, paddingEmbedding } = explicit;
  const cross = new Float32Array(CROSS_ATTENTION_TOKENS * hiddenSize);
  if (branch.kind !== 'uncond') {
    // Official: padded prompt rows take the learned padding embedding (a pack without one has a
    // text encoder that applies it, so its rows stay); for a negative prompt they are zeros.
    // The unconditional branch is all zeros, the seconds row included.
    const { hidden, mask } = branch.prompt;
    for (let row = 0; row < tokens; row++) {
      const target = cross.subarray(row * hiddenSize, (row + 1) * hiddenSize);
      const own = hidden.subarray(row * hiddenSize, (row + 1) * hiddenSize);
      if (mask[row]) target.set(own);
      else if (branch.kind === 'cond') target.set(paddingEmbedding ?? own);
    }
    cross.set(secondsRow, tokens * hiddenSize);
  }
  feeds.cross_attn_cond = new ort.Tensor('float32', cross, [1, CROSS_ATTENTION_TOKENS, hiddenSize]);
  feeds.global_embed = new ort.Tensor('float32', secondsRow, [1, hiddenSize]);
  if (keyMask) {
    const mask = new Uint8Array(latents);
    mask.fill(1, 0, validLatents);
    feeds.padding_mask = new ort.Tensor('bool', mask, [1, latents]);
  }
  return feeds;
}
