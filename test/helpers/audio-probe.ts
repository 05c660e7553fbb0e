import { execFileSync } from 'node:child_process';
import { fft } from '../../packages/runtime/test/helpers/spectrum.js';

export interface Probe {
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationSeconds: number;
  readonly bitRate?: number;
  readonly sampleFormat?: string;
  readonly bitsPerRawSample?: number;
  readonly tags: Record<string, string>;
}

/** The fields of `ffprobe -print_format json -show_streams -show_format` that probe() reads (of audio streams); ffprobe prints most numbers as strings. */
interface FfprobeOutput {
  readonly streams: readonly {
    readonly codec_type: string;
    readonly codec_name: string;
    readonly sample_rate: string;
    readonly channels: number;
    readonly duration?: string;
    readonly bit_rate?: string;
    readonly sample_fmt?: string;
    readonly bits_per_raw_sample?: string;
    readonly tags?: Record<string, string>;
  }[];
  readonly format: { readonly duration?: string; readonly tags?: Record<string, string> };
}

/** What ffprobe (not our code) says about a file. */
export function probe(path: string): Probe {
  const out = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path], { encoding: 'utf8' }),
  ) as FfprobeOutput;
  const stream = out.streams.find((s) => s.codec_type === 'audio');
  if (!stream) throw new Error(`ffprobe finds no audio stream in ${path}`);
  return {
    codec: stream.codec_name,
    sampleRate: Number(stream.sample_rate),
    channels: stream.channels,
    durationSeconds: Number(stream.duration ?? out.format.duration),
    ...(stream.bit_rate ? { bitRate: Number(stream.bit_rate) } : {}),
    sampleFormat: stream.sample_fmt,
    ...(stream.bits_per_raw_sample ? { bitsPerRawSample: Number(stream.bits_per_raw_sample) } : {}),
    tags: { ...(out.format.tags ?? {}), ...(stream.tags ?? {}) },
  };
}

/** Decodes with ffmpeg itself to planar float32 stereo at 44.1 kHz. */
export function decodeWithFfmpeg(path: string): Float32Array[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', path, '-f', 'f32le', '-ac', '2', '-ar', '44100', '-'], { maxBuffer: 1024 ** 3 });
  const interleaved = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const frames = interleaved.length / 2;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = interleaved[2 * i]!;
    right[i] = interleaved[2 * i + 1]!;
  }
  return [left, right];
}

export function rms(samples: Float32Array, start = 0, end = samples.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, end - start));
}

export function peak(samples: Float32Array): number {
  let p = 0;
  for (const s of samples) p = Math.max(p, Math.abs(s));
  return p;
}

/** The frequency with the most energy in a 2^16-sample window starting at `start` (Hann window, the runtime tests' radix-2 FFT). */
export function dominantFrequency(samples: Float32Array, sampleRate = 44_100, start = 0): number {
  const n = 1 << 16;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n && start + i < samples.length; i++) re[i] = samples[start + i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
  fft(re, im);
  let best = 1;
  let bestPower = 0;
  for (let k = 1; k < n / 2; k++) {
    const power = re[k]! * re[k]! + im[k]! * im[k]!;
    if (power > bestPower) {
      bestPower = power;
      best = k;
    }
  }
  return (best * sampleRate) / n;
}
