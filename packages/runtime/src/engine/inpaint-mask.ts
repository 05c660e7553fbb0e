import { SAMPLE_RATE } from '@sa3/nodes';

/**
 * The official inpainting mask at latent resolution: 1 = keep (given), 0 = generate. Built at
 * audio resolution (the region [start, end) and everything past the requested duration are 0),
 * then sampled at the first sample of each latent.
 */
export function latentKeepMask(latents: number, samplesPerLatent: number, startSeconds: number, endSeconds: number, durationSeconds: number): Float32Array {
  const samples = latents * samplesPerLatent;
  const start = Math.min(Math.trunc(startSeconds * SAMPLE_RATE), samples);
  const end = Math.min(Math.trunc(endSeconds * SAMPLE_RATE), samples);
  const duration = Math.trunc(durationSeconds * SAMPLE_RATE);
  const mask = new Float32Array(latents);
  for (let j = 0; j < latents; j++) {
    const at = j * samplesPerLatent;
    mask[j] = (at >= start && at < end) || at >= duration ? 0 : 1;
  }
  return mask;
}

/** local_add_cond [257, L]: the keep mask, then the source latents times the mask. */
export function inpaintLocalCond(mask: Float32Array, source: Float32Array, channels: number): Float32Array {
  const length = mask.length;
  const out = new Float32Array((channels + 1) * length);
  out.set(mask, 0);
  for (let c = 0; c < channels; c++) {
    for (let j = 0; j < length; j++) out[(c + 1) * length + j] = source[c * length + j]! * mask[j]!;
  }
  return out;
}
