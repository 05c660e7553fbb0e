import { SAMPLE_RATE } from '@sa3/nodes';
import { SAMPLES_PER_LATENT } from '../pack-format/index.js';

/** Official headroom: the model samples 6 s more than asked and masks it out. */
export const HEADROOM_SECONDS = 6;

export interface LatentLayout {
  /** Latent frames the DiT runs on. */
  readonly latents: number;
  /** Leading latents that are real (not padding); the DiT's key mask. */
  readonly validLatents: number;
  /** Frames of audio the caller gets back: round(duration * 44100). */
  readonly frames: number;
}

function ceilTo(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/**
 * The official rule (used when the DiT graph takes a key mask): 6 s of headroom, aligned to
 * 8192 samples (two latents), capped by the pack's sample size; the key mask covers the
 * requested length plus the headroom.
 */
export function officialLayout(durationSeconds: number, maxSamples: number): LatentLayout {
  let samples = Math.trunc((durationSeconds + HEADROOM_SECONDS) * SAMPLE_RATE);
  samples = ceilTo(ceilTo(samples, SAMPLES_PER_LATENT), 2 * SAMPLES_PER_LATENT);
  samples = Math.min(samples, maxSamples);
  const latents = Math.floor(samples / SAMPLES_PER_LATENT);
  const effective = Math.ceil(Math.trunc(durationSeconds * SAMPLE_RATE) / SAMPLES_PER_LATENT);
  const headroom = Math.trunc((HEADROOM_SECONDS * SAMPLE_RATE) / SAMPLES_PER_LATENT);
  return { latents, validLatents: Math.min(effective + headroom, latents), frames: Math.round(durationSeconds * SAMPLE_RATE) };
}

/** The optimized runtimes' rule (a DiT without a key mask): exactly enough latents, no padding. */
export function compactLayout(durationSeconds: number, maxSamples: number): LatentLayout {
  const latents = Math.min(Math.max(1, Math.ceil((durationSeconds * SAMPLE_RATE) / SAMPLES_PER_LATENT)), Math.floor(maxSamples / SAMPLES_PER_LATENT));
  return { latents, validLatents: latents, frames: Math.round(durationSeconds * SAMPLE_RATE) };
}

/** The longest duration a pack can make, in seconds. */
export function maxDurationSeconds(maxSamples: number): number {
  return maxSamples / SAMPLE_RATE;
}
