/**
 * The seconds_total conditioner: clamp to [0, 384], divide by 384, exponential Fourier features
 * (256: cosines then sines, frequencies from 0.5 to 1e4), then Linear(256 -> hidden).
 */
export const SECONDS_MAX = 384;
const FEATURES = 256;

export function secondsFeatures(seconds: number): Float64Array {
  const s = Math.min(Math.max(seconds, 0), SECONDS_MAX) / SECONDS_MAX;
  const half = FEATURES / 2;
  const out = new Float64Array(FEATURES);
  const low = Math.log(0.5);
  const high = Math.log(1e4);
  for (let i = 0; i < half; i++) {
    // Computed as float32 like torch's linspace/exp before the product, to match the reference.
    const position = Math.fround(i / (half - 1));
    const frequency = Math.fround(Math.exp(Math.fround(Math.fround(position * Math.fround(high - low)) + Math.fround(low))));
    const angle = Math.fround(Math.fround(s * frequency) * Math.fround(2 * Math.PI));
    out[i] = Math.cos(angle);
    out[half + i] = Math.sin(angle);
  }
  return out;
}

/** weight is [hidden, 256] row-major, bias [hidden]. */
export function secondsEmbedding(seconds: number, weight: Float32Array, bias: Float32Array): Float32Array {
  const features = secondsFeatures(seconds);
  const hidden = bias.length;
  const out = new Float32Array(hidden);
  for (let h = 0; h < hidden; h++) {
    let sum = bias[h]!;
    for (let f = 0; f < FEATURES; f++) sum += weight[h * FEATURES + f]! * features[f]!;
    out[h] = sum;
  }
  return out;
}
