/**
 * The test DiT. It knows the clean latent it wants (the target) and returns the velocity that
 * leads there from any x: v = (x - target) / t, so x - t·v = target.
 *
 * target = keep * source + (1 - keep) * (tone + TEXTURE * sines(x)), with keep =
 * local_add_cond[:, 0:1], source = local_add_cond[:, 1:257], tone the notes the prompt names as
 * 0.5-amplitude sines, and a faint texture taken from the sine channels of x itself. The texture
 * is what makes the result depend on the seed (as real audio does) while the prompt's tone still
 * dominates; keeping it in sine channels keeps every frame starting at zero, so frames join
 * without a step.
 */
import {
  CROSS_ATTENTION_TOKENS,
  HIDDEN_SIZE,
  LATENT_CHANNELS,
  LOCAL_CHANNELS,
  SECONDS_FEATURES,
  SECONDS_MAX,
  TEXT_TOKENS,
  type DitLayout,
} from '../pack-format/index.js';
import { GraphBuilder, type Value } from '../compiler/index.js';
import { expoFourierFrequencies, paddingEmbedding, secondsBias, secondsWeight } from './conditioner-weights.js';
import { HALF_CHANNELS, NOTE_COUNT, TONE_AMPLITUDE } from './notes.js';

/** t is floored here so t = 0 gives a finite (if huge) velocity instead of NaN. */
const MIN_T = 1e-12;
/** Share of x's sine channels that goes into the target. */
export const TEXTURE = 0.01;

/** [1,256,1]: TEXTURE on every sine channel, 0 on cosine channels. */
function textureWeights(): Float32Array {
  const weights = new Float32Array(LATENT_CHANNELS);
  for (let c = 1; c < LATENT_CHANNELS; c += 2) weights[c] = TEXTURE;
  return weights;
}

/** [K, 256]: note k's strength goes to its sine channel in both stereo halves. */
export function tonePlacement(): Float32Array {
  const placement = new Float32Array(NOTE_COUNT * LATENT_CHANNELS);
  for (let k = 0; k < NOTE_COUNT; k++) {
    placement[k * LATENT_CHANNELS + 2 * k + 1] = 1;
    placement[k * LATENT_CHANNELS + HALF_CHANNELS + 2 * k + 1] = 1;
  }
  return placement;
}

/** The part both layouts share: from cross_attn_cond [1,257,768] to the velocity. */
function velocityFromCross(g: GraphBuilder, x: Value, t: Value, cross: Value, localAddCond: Value): Value {
  // Row 256 is the seconds token: only prompt rows pick notes.
  const noteDims = g.slice(cross, [0, 0], [TEXT_TOKENS, NOTE_COUNT], [1, 2]); // [1,256,K]
  const strength = g.reduceMax(noteDims, [1], false); // [1,K]
  const tone = g.mul(strength, TONE_AMPLITUDE); // [1,K]
  const placement = g.initializer('tone_placement', tonePlacement(), [NOTE_COUNT, LATENT_CHANNELS]);
  const toneLatent = g.unsqueeze(g.matMul(tone, placement), [2]); // [1,256,1]
  const keep = g.slice(localAddCond, [0], [1], [1]); // [1,1,L]
  const source = g.slice(localAddCond, [1], [LOCAL_CHANNELS], [1]); // [1,256,L]
  const texture = g.mul(x, g.initializer('texture_weights', textureWeights(), [1, LATENT_CHANNELS, 1])); // [1,256,L]
  const generated = g.add(toneLatent, texture); // [1,256,L]
  const target = g.add(g.mul(keep, source), g.mul(g.sub(1, keep), generated), 'target'); // [1,256,L]
  return g.div(g.sub(x, target), g.max([t, MIN_T]), 'velocity'); // [1,256,L]
}

/** The official seconds conditioner: seconds [1] -> embedding [1,768]. */
function secondsEmbedder(g: GraphBuilder, seconds: Value): Value {
  const s = g.div(g.clip(seconds, 0, SECONDS_MAX), SECONDS_MAX); // [1]
  const angularFreqs = g.initializer(
    'seconds_angular_freqs',
    Float32Array.from(expoFourierFrequencies(), (f) => 2 * Math.PI * f),
    [1, SECONDS_FEATURES / 2],
  );
  const args = g.mul(g.unsqueeze(s, [1]), angularFreqs); // [1,128]
  const features = g.concat([g.cos(args), g.sin(args)], 1); // [1,256]
  const weight = g.initializer('seconds_weight', secondsWeight(), [HIDDEN_SIZE, SECONDS_FEATURES]);
  const bias = g.initializer('seconds_bias', secondsBias(), [HIDDEN_SIZE]);
  return g.gemm(features, weight, bias, { transB: true }); // [1,768]
}

/** Tensor names by role; a role not named keeps the role as its name. */
export type IoNames = Readonly<Record<string, string>>;

function buildBaked(g: GraphBuilder, x: Value, t: Value, n: (role: string) => string): Value {
  const hidden = g.input(n('t5_hidden'), 'float32', [1, TEXT_TOKENS, HIDDEN_SIZE]);
  const mask = g.input(n('t5_mask'), 'float32', [1, TEXT_TOKENS]);
  const seconds = g.input(n('seconds_total'), 'float32', [1]);
  const localAddCond = g.input(n('local_add_cond'), 'float32', [1, LOCAL_CHANNELS, 'L']);
  // Learned padding with Where, as the export does, so a NaN in a padded row cannot leak.
  const padding = g.initializer('padding_embedding', paddingEmbedding(), [HIDDEN_SIZE]);
  const valid = g.unsqueeze(g.cast(mask, 'bool'), [2]); // [1,256,1]
  const prompt = g.where(valid, hidden, padding); // [1,256,768]
  const secondsToken = g.unsqueeze(secondsEmbedder(g, seconds), [1]); // [1,1,768]
  const cross = g.concat([prompt, secondsToken], 1); // [1,257,768]
  return velocityFromCross(g, x, t, cross, localAddCond);
}

function buildExplicit(g: GraphBuilder, x: Value, t: Value, keyMask: boolean, n: (role: string) => string): Value {
  const cross = g.input(n('cross_attn_cond'), 'float32', [1, CROSS_ATTENTION_TOKENS, HIDDEN_SIZE]);
  // global_embed and padding_mask are part of the signature; a per-frame model has no use for them.
  g.input(n('global_embed'), 'float32', [1, HIDDEN_SIZE]);
  const localAddCond = g.input(n('local_add_cond'), 'float32', [1, LOCAL_CHANNELS, 'L']);
  if (keyMask) g.input(n('padding_mask'), 'bool', [1, 'L']);
  return velocityFromCross(g, x, t, cross, localAddCond);
}

export function buildDit(layout: DitLayout, keyMask = true, names: IoNames = {}): GraphBuilder {
  const n = (role: string) => names[role] ?? role;
  const g = new GraphBuilder({ graphName: 'dit', docString: `sa3 test pack DiT (${layout} layout): velocity towards the prompt's tones` });
  const x = g.input(n('x'), 'float32', [1, LATENT_CHANNELS, 'L']);
  const t = g.input(n('t'), 'float32', [1]);
  const velocity = layout === 'baked' ? buildBaked(g, x, t, n) : buildExplicit(g, x, t, keyMask, n);
  g.output(velocity, n('velocity'), [1, LATENT_CHANNELS, 'L']);
  return g;
}

/** The seconds conditioner as a graph of its own, as community exports ship it: seconds [1] -> embedding [1,1,768]. */
export function buildConditioner(names: IoNames = {}): GraphBuilder {
  const n = (role: string) => names[role] ?? role;
  const g = new GraphBuilder({ graphName: 'number_conditioner', docString: 'sa3 test pack seconds conditioner' });
  const seconds = g.input(n('seconds'), 'float32', [1]);
  g.output(g.unsqueeze(secondsEmbedder(g, seconds), [1]), n('embedding'), [1, 1, HIDDEN_SIZE]);
  return g;
}
