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
const SQRT1_2 = 0.7071067811865476;

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

/** Natural logarithm of a positive finite number, from basic operations only. */
export function portableLog(x: number): number {
  // m = x / 2^exponent in [sqrt(1/2), sqrt(2)): scaling by 2 is exact, and the polar method's
  // arguments lie in (0, 1) and mostly above 1/4, so this takes one or two steps.
  let m = x;
  let exponent = 0;
  while (m < SQRT1_2) {
    m *= 2;
    exponent -= 1;
  }
  while (m > SQRT2) {
    m /= 2;
    exponent += 1;
  }
  // ln(m) = 2 atanh(z), z = (m - 1) / (m + 1), |z| < 0.172: ten terms reach double precision.
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  const series =
    1 + z2 * (1 / 3 + z2 * (1 / 5 + z2 * (1 / 7 + z2 * (1 / 9 + z2 * (1 / 11 + z2 * (1 / 13 + z2 * (1 / 15 + z2 * (1 / 17 + z2 * (1 / 19 + z2 / 21)))))))));
  return exponent * LN2 + 2 * z * series;
}

export class NoiseStream {
  // xoshiro128** state in a typed array keeps every value a uint32 (no number boxing).
  private readonly state = new Uint32Array(4);
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    const next = splitmix32(seed >>> 0);
    for (let i = 0; i < 4; i++) this.state[i] = next();
  }

  private nextUint32(): number {
    const s = this.state;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]!;
    const s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[0] = s0 ^ n3;
    s[1] = s1 ^ n2;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  gaussian(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const factor = Math.sqrt((-2 * portableLog(s)) / s);
      this.spare = v * factor;
      this.hasSpare = true;
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
  return (x << k) | (x >>> (32 - k));
}
