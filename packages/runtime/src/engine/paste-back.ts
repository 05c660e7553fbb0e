import { SAMPLE_RATE } from '@sa3/nodes';

/** Frames [start, end). */
export interface SampleRange {
  readonly start: number;
  readonly end: number;
}

/** The ranges within `frames`, sorted, with overlapping or touching ones merged. */
function mergedRanges(regions: readonly SampleRange[], frames: number): { start: number; end: number }[] {
  const ranges = regions
    .map((r) => ({ start: Math.min(r.start, frames), end: Math.min(r.end, frames) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/**
 * Puts the source back, sample for sample, everywhere outside the regenerated ranges of frames
 * (each [start, end)), and blends into the new audio with an equal-power crossfade at every region
 * edge, lying inside the region (so nothing outside any region changes). Where a region runs past
 * the end of the source (extending), there is no source to blend with and the new audio starts at
 * the seam.
 */
export function pasteBack(
  generated: readonly Float32Array[],
  source: readonly Float32Array[],
  regions: readonly SampleRange[],
  crossfadeMs: number,
): Float32Array[] {
  const frames = generated[0]!.length;
  const sourceFrames = source[0]!.length;
  const ranges = mergedRanges(regions, frames);
  const fade = Math.max(0, Math.round((crossfadeMs / 1000) * SAMPLE_RATE));
  return generated.map((gen, c) => {
    const src = source[c] ?? source[0]!;
    const out = gen.slice();
    const keptEnd = Math.min(sourceFrames, frames);
    let cursor = 0;
    for (const { start, end } of ranges) {
      if (start > cursor && cursor < keptEnd) out.set(src.subarray(cursor, Math.min(start, keptEnd)), cursor);
      cursor = end;
    }
    if (cursor < keptEnd) out.set(src.subarray(cursor, keptEnd), cursor);
    for (const { start, end } of ranges) {
      // Both fades fit inside the region and inside the source.
      const available = Math.max(0, Math.min(end, sourceFrames) - start);
      const fadeIn = Math.min(fade, start < sourceFrames ? Math.floor(available / 2) : 0);
      const fadeOut = Math.min(fade, end <= sourceFrames ? Math.floor(available / 2) : 0);
      for (let i = 0; i < fadeIn; i++) {
        const theta = ((i + 0.5) / fadeIn) * (Math.PI / 2);
        out[start + i] = src[start + i]! * Math.cos(theta) + gen[start + i]! * Math.sin(theta);
      }
      for (let i = 0; i < fadeOut; i++) {
        const index = end - fadeOut + i;
        const theta = ((i + 0.5) / fadeOut) * (Math.PI / 2);
        out[index] = gen[index]! * Math.cos(theta) + src[index]! * Math.sin(theta);
      }
    }
    return out;
  });
}
