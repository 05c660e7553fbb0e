import { SAMPLE_RATE } from '@sa3/nodes';

/**
 * The inpainting mask at latent resolution: 1 = keep (given), 0 = generate.
 *
 * A latent frame is generated when any of its samples lies in the region [start, end), and so is
 * every frame from the requested duration on. The official code instead samples the audio-rate
 * mask at the first sample of each frame, which keeps a frame that the region starts inside of;
 * when extending from a length that is not a whole number of frames, that kept frame is the
 * encoding of the source's last samples followed by zero padding, and decodes to a gap after the
 * seam. Generating the straddling frame lets the model continue from the last whole frame; the
 * source's own samples before the seam are pasted back afterwards anyway.
 */
export function latentKeepMask(latents: number, samplesPerLatent: number, startSeconds: number, endSeconds: number, durationSeconds: number): Float32Array {
  const start = Math.trunc(startSeconds * SAMPLE_RATE);
  const end = Math.trunc(endSeconds * SAMPLE_RATE);
  const duration = Math.trunc(durationSeconds * SAMPLE_RATE);
  const mask = new Float32Array(latents);
  for (let j = 0; j < latents; j++) {
    const first = j * samplesPerLatent;
    const last = first + samplesPerLatent; // exclusive
    const touchesRegion = first < end && last > start;
    mask[j] = touchesRegion || first >= duration ? 0 : 1;
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
