import { NodeError, SAMPLE_RATE, type InpaintRegion, type InpaintRequest } from '@sa3/nodes';
import type { SampleRange } from './paste-back.js';

/** Refuses a request with no region, a region that ends before it starts, or one that starts after the source. */
export function checkInpaintRegions(request: InpaintRequest): void {
  if (request.regions.length === 0)
    throw new NodeError('value_empty', 'regions must list at least one region to regenerate', { param: 'regions', kind: 'input' });
  const sourceSeconds = request.source.channels[0]!.length / request.source.sampleRate;
  for (const [index, region] of request.regions.entries()) {
    if (!(region.endSeconds > region.startSeconds)) {
      throw new NodeError('invalid_range', `region ${index + 1} ends at ${region.endSeconds} s, which is not after its start ${region.startSeconds} s`, {
        param: 'regions',
        kind: 'input',
      });
    }
    if (region.startSeconds > sourceSeconds + 1e-9) {
      throw new NodeError(
        'value_bigger_than_max',
        `region ${index + 1} starts at ${region.startSeconds} s but the source audio is only ${sourceSeconds.toFixed(3)} s long`,
        { param: 'regions', kind: 'input' },
      );
    }
  }
}

/** A region as the official code cuts it from the audio-rate mask: [int(start*44100), int(end*44100)). */
function sampleRange(region: InpaintRegion): SampleRange {
  return { start: Math.trunc(region.startSeconds * SAMPLE_RATE), end: Math.trunc(region.endSeconds * SAMPLE_RATE) };
}

/**
 * The inpainting mask at latent resolution: 1 = keep (given), 0 = generate.
 *
 * As the official generate() builds it for any number of regions: an audio-rate mask of ones,
 * zero over [int(s*44100), int(e*44100)) of each region and from int(duration*44100) on,
 * nearest-sampled to the latents, so latent j takes the mask at its first sample j*samplesPerLatent.
 *
 * One addition: a frame that holds the source's end while the sample after that end lies in a
 * region (extending) is generated too. Kept, it would be the encoding of the source's last
 * samples followed by zero padding and decode to a gap after the seam; generated, the model
 * continues from the last whole frame, and the source's own samples before the seam are pasted
 * back afterwards anyway.
 */
export function latentKeepMask(
  latents: number,
  samplesPerLatent: number,
  regions: readonly InpaintRegion[],
  durationSeconds: number,
  sourceFrames: number,
): Float32Array {
  const ranges = regions.map(sampleRange);
  const duration = Math.trunc(durationSeconds * SAMPLE_RATE);
  const inRegion = (sample: number) => ranges.some((r) => sample >= r.start && sample < r.end);
  const regionAfterSource = sourceFrames < duration && inRegion(sourceFrames);
  const mask = new Float32Array(latents);
  for (let j = 0; j < latents; j++) {
    const first = j * samplesPerLatent;
    const holdsSourceEnd = first < sourceFrames && sourceFrames < first + samplesPerLatent;
    mask[j] = inRegion(first) || first >= duration || (holdsSourceEnd && regionAfterSource) ? 0 : 1;
  }
  return mask;
}

/**
 * The frames of each region the model actually generates, for the paste-back: a region that
 * starts inside a kept latent frame (its first sample is before the region) begins at the next
 * frame, since the kept frame decodes to a copy of the source. Pasting the source itself there
 * and crossfading where generation begins avoids a seam at that frame boundary. A region that
 * holds no generated frame is left out: the source stays there.
 */
export function generatedRanges(regions: readonly InpaintRegion[], mask: Float32Array, samplesPerLatent: number): SampleRange[] {
  return regions
    .map(sampleRange)
    .map(({ start, end }) => {
      const frame = Math.floor(start / samplesPerLatent);
      const generated = frame >= mask.length || mask[frame] === 0;
      return { start: generated ? start : Math.min(end, (frame + 1) * samplesPerLatent), end };
    })
    .filter((range) => range.end > range.start);
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
