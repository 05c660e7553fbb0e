import { SAMPLE_RATE } from '@sa3/nodes';

/**
 * Puts the source back, sample for sample, everywhere outside the regenerated region
 * [start, end), and blends into the new audio with an equal-power crossfade that lies inside
 * the region (so nothing outside it changes). Where the region runs past the end of the source
 * (extending), there is no source to blend with and the new audio starts at the seam.
 */
export function pasteBack(
  generated: readonly Float32Array[],
  source: readonly Float32Array[],
  startSeconds: number,
  endSeconds: number,
  crossfadeMs: number,
): Float32Array[] {
  const frames = generated[0]!.length;
  const sourceFrames = source[0]!.length;
  const start = Math.min(Math.trunc(startSeconds * SAMPLE_RATE), frames);
  const end = Math.min(Math.trunc(endSeconds * SAMPLE_RATE), frames);
  const fade = Math.max(0, Math.round((crossfadeMs / 1000) * SAMPLE_RATE));
  // Both fades fit inside the region and inside the source.
  const available = Math.max(0, Math.min(end, sourceFrames) - start);
  const fadeIn = Math.min(fade, start < sourceFrames ? Math.floor(available / 2) : 0);
  const fadeOut = Math.min(fade, end <= sourceFrames ? Math.floor(available / 2) : 0);
  return generated.map((gen, c) => {
    const src = source[c] ?? source[0]!;
    const out = gen.slice();
    const keep = Math.min(start, sourceFrames);
    out.set(src.subarray(0, keep), 0);
    if (end < sourceFrames) out.set(src.subarray(end, Math.min(sourceFrames, frames)), end);
    for (let i = 0; i < fadeIn; i++) {
      const theta = ((i + 0.5) / fadeIn) * (Math.PI / 2);
      out[start + i] = src[start + i]! * Math.cos(theta) + gen[start + i]! * Math.sin(theta);
    }
    for (let i = 0; i < fadeOut; i++) {
      const index = end - fadeOut + i;
      const theta = ((i + 0.5) / fadeOut) * (Math.PI / 2);
      out[index] = gen[index]! * Math.cos(theta) + src[index]! * Math.sin(theta);
    }
    return out;
  });
}
