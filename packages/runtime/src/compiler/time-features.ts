/**
 * The DiT's expo Fourier timestep features: 256 features of t, cosines then sines, at
 * frequencies exp(linspace(0, 1, 128) · (ln 1e4 − ln 0.5) + ln 0.5).
 */
import { expoFrequencies } from '../engine/index.js';
import type { GraphBuilder, Value } from './graph/index.js';

/** The float32 frequencies, rounded as the official CPU run rounds them (see engine/seconds-embedding.ts). */
export { expoFrequencies };

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
