/**
 * The seconds conditioner and learned padding of the test packs, shared by the baked DiT (as
 * constants) and the explicit layout's conditioner.safetensors. Their values never change the
 * audio: the DiT ignores the seconds token, and the padding embedding is zero.
 */
import { HIDDEN_SIZE, SECONDS_FEATURES, SECONDS_MAX } from '../pack-format/index.js';

/** Official ExpoFourier frequencies: exp(linspace(0, 1, 128) * (ln 1e4 - ln 0.5) + ln 0.5). */
export function expoFourierFrequencies(): Float64Array {
  const half = SECONDS_FEATURES / 2;
  return Float64Array.from({ length: half }, (_, i) => Math.exp((i / (half - 1)) * (Math.log(1e4) - Math.log(0.5)) + Math.log(0.5)));
}

/** Learned padding embedding [768]: zeros, so padded prompt rows look exactly like masked ones. */
export function paddingEmbedding(): Float32Array {
  return new Float32Array(HIDDEN_SIZE);
}

/** Linear(256 -> 768) weight, row-major [768, 256] as in PyTorch. */
export function secondsWeight(): Float32Array {
  return Float32Array.from(
    { length: HIDDEN_SIZE * SECONDS_FEATURES },
    (_, n) => 0.01 * Math.sin(0.37 * Math.floor(n / SECONDS_FEATURES) + 0.11 * (n % SECONDS_FEATURES) + 0.5),
  );
}

export function secondsBias(): Float32Array {
  return Float32Array.from({ length: HIDDEN_SIZE }, (_, i) => 0.001 * Math.cos(i));
}

/**
 * The seconds embedding [768] the official conditioner computes: s = clamp(sec, 0, 384) / 384,
 * features [cos(2π f s), sin(2π f s)], then the Linear. In float64; the DiT graph does it in float32.
 */
export function secondsEmbedding(seconds: number): Float32Array {
  const s = Math.min(Math.max(seconds, 0), SECONDS_MAX) / SECONDS_MAX;
  const freqs = expoFourierFrequencies();
  const features = [...freqs].map((f) => Math.cos(2 * Math.PI * f * s)).concat([...freqs].map((f) => Math.sin(2 * Math.PI * f * s)));
  const w = secondsWeight();
  const b = secondsBias();
  return Float32Array.from({ length: HIDDEN_SIZE }, (_, i) => features.reduce((sum, x, j) => sum + x * w[i * SECONDS_FEATURES + j]!, b[i]!));
}
