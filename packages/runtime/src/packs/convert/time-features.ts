/**
 * The DiT's expo Fourier timestep features: 256 features of t, cosines then sines, at
 * frequencies exp(linspace(0, 1, 128) · (ln 1e4 − ln 0.5) + ln 0.5).
 */
import type { GraphBuilder, Value } from '../../onnx/index.js';

const MIN_FREQ = 0.5;
const MAX_FREQ = 1e4;

/**
 * The frequencies as float32, rounded step by step as engine/seconds-embedding.ts does for the
 * same features. PyTorch's vectorised linspace and exp still differ from this by a few ulps at
 * some frequencies, which at angles near 6e4 rad moves a feature by up to ~1e-2; the velocity
 * stays within 3e-5 of the reference.
 */
export function expoFrequencies(count: number): Float32Array {
  const low = Math.fround(Math.log(MIN_FREQ));
  const span = Math.fround(Math.log(MAX_FREQ) - Math.log(MIN_FREQ));
  return Float32Array.from({ length: count }, (_, i) => Math.fround(Math.exp(Math.fround(Math.fround(Math.fround(i / (count - 1)) * span) + low))));
}

/**
 * t [B] -> [B, features]. The angles reach 2π·1e4 rad, so their float32 rounding is kept as
 * the reference computes it ((t·f)·2π) and the cos/sin are taken in float64.
 */
export function expoTimeFeatures(g: GraphBuilder, t: Value, features: number): Value {
  const freqs = g.floats(Array.from(expoFrequencies(features / 2)), [1, features / 2]); // [1,F/2]
  const angles = g.mul(g.mul(g.unsqueeze(t, [1]), freqs), Math.fround(2 * Math.PI)); // [B,F/2]
  const wide = g.cast(angles, 'float64'); // [B,F/2]
  return g.cast(g.concat([g.cos(wide), g.sin(wide)], 1), 'float32'); // [B,F]
}
