/**
 * The seconds_total conditioner: clamp to [0, 384], divide by 384, exponential Fourier features
 * (256: cosines then sines, frequencies from 0.5 to 1e4), then Linear(256 -> hidden).
 */
import { SECONDS_FEATURES, SECONDS_MAX } from '../pack-format/index.js';

/** [index, ulps] where the reference's exp differs from the correctly rounded one (count 128). */
const MKL_EXP_ULPS: ReadonlyArray<readonly [number, number]> = [
  [26, -1],
  [27, 1],
  [44, 1],
  [86, -1],
  [124, 1],
];

/**
 * The float32 frequencies exp(linspace(0, 1, count) · (ln 1e4 − ln 0.5) + ln 0.5), rounded
 * exactly as the official PyTorch CPU run rounds them (shared with the DiT's timestep features).
 * The angles reach 2π·1e4 rad, where one float32 ulp is ~4e-3 rad, so every rounding counts:
 * - torch.linspace (CPU) gives step·i for i < count/2 and 1 − step·(count−1−i) above, with
 *   step = float32(1/(count−1)); the upper expression is one fused multiply-add (one rounding).
 * - The Python scalars become float32: float32(ln 1e4 − ln 0.5) and float32(ln 0.5), one
 *   rounding per op.
 * - torch.exp (MKL's vector exp on x86) agrees with the correctly rounded exp except at five
 *   of the 128 arguments, each within 0.015 ulp of a rounding midpoint, which come out one ulp
 *   to the other side. They were back-solved from the reference outputs (the seconds cases and
 *   the DiT's dbg_timestep_features in shared/fixtures/sa3-reference); another CPU could round
 *   them differently. Frequencies below index 20 are too low for one ulp to show.
 * Math.exp(x) stored as float32 is the correctly rounded exp at all 128 arguments here.
 */
export function expoFrequencies(count: number): Float32Array {
  const step = Math.fround(1 / (count - 1));
  const span = Math.fround(Math.log(1e4) - Math.log(0.5));
  const low = Math.fround(Math.log(0.5));
  const freqs = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    // step·i and 1 − step·k are exact in float64, so each Math.fround is one float32 rounding.
    const ramp = i < count / 2 ? Math.fround(step * i) : Math.fround(1 - step * (count - 1 - i));
    freqs[i] = Math.exp(Math.fround(Math.fround(ramp * span) + low));
  }
  if (count === 128) {
    const bits = new Int32Array(freqs.buffer);
    for (const [i, ulps] of MKL_EXP_ULPS) bits[i] = bits[i]! + ulps;
  }
  return freqs;
}

const FREQUENCIES = expoFrequencies(SECONDS_FEATURES / 2);
const TWO_PI = Math.fround(2 * Math.PI);

/** The 256 features in float64, from the float32 angle ((s·f)·2·π in float32, as the reference). */
export function secondsFeatures(seconds: number): Float64Array {
  // torch.tensor(seconds) is float32, and so is the clamp-and-divide.
  const s = Math.fround(Math.min(Math.max(Math.fround(seconds), 0), SECONDS_MAX) / SECONDS_MAX);
  const half = SECONDS_FEATURES / 2;
  const out = new Float64Array(SECONDS_FEATURES);
  for (let i = 0; i < half; i++) {
    const angle = Math.fround(Math.fround(s * FREQUENCIES[i]!) * TWO_PI);
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
    for (let f = 0; f < SECONDS_FEATURES; f++) sum += weight[h * SECONDS_FEATURES + f]! * features[f]!;
    out[h] = sum;
  }
  return out;
}
