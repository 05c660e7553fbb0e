import type { LoudnessMeasurement } from './loudness.js';

/** Every audio value inside a workflow has this rate and channel count; loaders conform to it. */
export const SAMPLE_RATE = 44_100;
export const CHANNELS = 2;

/** Float32 PCM, planar: `channels[c][i]` is frame i of channel c. */
export interface AudioClip {
  readonly sampleRate: number;
  readonly channels: readonly Float32Array[];
  /** Latents this audio was decoded from, when an engine made it (opaque outside the engine). */
  readonly latents?: unknown;
  /** Its loudness, when audio.loudness measured it; nodes that change the samples make clips without it. */
  readonly loudness?: LoudnessMeasurement;
  /** Loop points in frames, both inclusive (as a WAV smpl chunk has them), when a node made it to loop; likewise dropped by nodes that change the samples. */
  readonly loop?: AudioLoop;
}

export interface AudioLoop {
  readonly startFrame: number;
  readonly endFrame: number;
}

export function frameCount(clip: AudioClip): number {
  return clip.channels[0]?.length ?? 0;
}

export function durationSeconds(clip: AudioClip): number {
  return frameCount(clip) / clip.sampleRate;
}

export function createClip(frames: number, sampleRate = SAMPLE_RATE, channelCount = CHANNELS): AudioClip {
  return { sampleRate, channels: Array.from({ length: channelCount }, () => new Float32Array(frames)) };
}

export function secondsToFrames(seconds: number, sampleRate = SAMPLE_RATE): number {
  return Math.round(seconds * sampleRate);
}

export function peakOf(clip: AudioClip): number {
  let peak = 0;
  for (const channel of clip.channels) for (const s of channel) peak = Math.max(peak, Math.abs(s));
  return peak;
}

export function rmsOf(clip: AudioClip): number {
  let sum = 0;
  let n = 0;
  for (const channel of clip.channels) {
    for (const s of channel) sum += s * s;
    n += channel.length;
  }
  return n === 0 ? 0 : Math.sqrt(sum / n);
}

/** A short description for events and reports, never the samples themselves. */
export function describeClip(clip: AudioClip): {
  frames: number;
  seconds: number;
  sampleRate: number;
  channels: number;
  peak: number;
  loudness?: LoudnessMeasurement;
} {
  const frames = frameCount(clip);
  const description = { frames, seconds: frames / clip.sampleRate, sampleRate: clip.sampleRate, channels: clip.channels.length, peak: peakOf(clip) };
  return clip.loudness ? { ...description, loudness: clip.loudness } : description;
}
