import { CHANNELS, type AudioClip, frameCount } from '../audio-clip.js';
import { type FadeCurve, fadeInGain } from './curves.js';

export function sliceClip(clip: AudioClip, startFrame: number, endFrame: number): AudioClip {
  return { sampleRate: clip.sampleRate, channels: clip.channels.map((c) => c.slice(startFrame, endFrame)) };
}

export function scaleClip(clip: AudioClip, gain: number): AudioClip {
  return { sampleRate: clip.sampleRate, channels: clip.channels.map((c) => c.map((s) => s * gain)) };
}

/** Fades the first `inFrames` up and the last `outFrames` down; the middle is copied unchanged. */
export function fadeClip(clip: AudioClip, inFrames: number, outFrames: number, curve: FadeCurve): AudioClip {
  const n = frameCount(clip);
  const channels = clip.channels.map((source) => {
    const out = source.slice();
    const fi = Math.min(inFrames, n);
    for (let i = 0; i < fi; i++) out[i] = source[i]! * fadeInGain(curve, i / fi);
    const fo = Math.min(outFrames, n);
    for (let i = 0; i < fo; i++) {
      const index = n - fo + i;
      out[index] = out[index]! * fadeInGain(curve, 1 - (i + 1) / fo);
    }
    return out;
  });
  return { sampleRate: clip.sampleRate, channels };
}

/**
 * Joins clips end to start. With a crossfade, the tail of one and the head of the next overlap
 * by `crossfadeFrames` (capped by the shorter of the two), so the result is shorter by the overlaps.
 */
export function concatClips(clips: readonly AudioClip[], crossfadeFrames: number, curve: FadeCurve): AudioClip {
  const sampleRate = clips[0]?.sampleRate ?? 44_100;
  const overlaps: number[] = [];
  let total = frameCount(clips[0]!);
  for (let k = 1; k < clips.length; k++) {
    const overlap = Math.min(crossfadeFrames, frameCount(clips[k - 1]!), frameCount(clips[k]!));
    overlaps.push(overlap);
    total += frameCount(clips[k]!) - overlap;
  }
  const channels = Array.from({ length: CHANNELS }, () => new Float32Array(total));
  let offset = 0;
  clips.forEach((clip, k) => {
    const overlapIn = k === 0 ? 0 : overlaps[k - 1]!;
    const overlapOut = k === clips.length - 1 ? 0 : overlaps[k]!;
    const n = frameCount(clip);
    const start = offset - overlapIn;
    for (let c = 0; c < CHANNELS; c++) {
      const source = clip.channels[c] ?? clip.channels[0]!;
      const target = channels[c]!;
      for (let i = 0; i < n; i++) {
        let gain = 1;
        if (i < overlapIn) gain *= fadeInGain(curve, (i + 0.5) / overlapIn);
        if (i >= n - overlapOut) gain *= fadeInGain(curve, 1 - (i - (n - overlapOut) + 0.5) / overlapOut);
        target[start + i] = target[start + i]! + source[i]! * gain;
      }
    }
    offset = start + n;
  });
  return { sampleRate, channels };
}
