/**
 * Seeded Gaussian noise that is the same on every platform and JavaScript engine.
 *
 * Uniforms come from xoshiro128** (32-bit integer arithmetic only), seeded through splitmix32.
 * Normals come from Marsaglia's polar method, whose logarithm is computed here from basic
 * IEEE-754 operations (+, -, *, /, sqrt are exactly rounded everywhere), because Math.log and
 * friends may differ in the last bit between engines.
 *
 * Draw order is part of the contract: values are produced strictly in sequence, two normals
 * per accepted polar pair, and callers draw the initial noise first, then each step's noise.
 */
const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const exponentView = new DataView(new ArrayBuffer(8));

/** Natural logarithm of a positive finite number, from basic operations only. */
export function portableLog(x: number): number {
  exponentView.setFloat64(0, x);
  const high = exponentView.getUint32(0);
  let exponent = ((high >>> 20) & 0x7ff) - 1023;
  // Put the mantissa back with a zero exponent: m in [1, 2).
  exponentView.setUint32(0, (high & 0x800fffff) | 0x3ff00000);
  let m = exponentView.getFloat64(0);
  if (m > SQRT2) {
    m /= 2;
    exponent += 1;
  }
  // ln(m) = 2 atanh(z), z = (m - 1) / (m + 1), |z| < 0.172: the series converges fast.
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let term = z;
  let sum = 0;
  for (let k = 1; k <= 27; k += 2) {
    sum += term / k;
    term *= z2;
  }
  return exponent * LN2 + 2 * sum;
}

export class NoiseStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    const next = splitmix32(seed >>> 0);
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  private nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  gaussian(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const factor = Math.sqrt((-2 * portableLog(s)) / s);
      this.spare = v * factor;
      return u * factor;
    }
  }

  /** Fills `out` with standard normal values, in index order. */
  fill(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.gaussian();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
