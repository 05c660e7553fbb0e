import { describe, expect, it } from 'vitest';
import { NoiseStream, portableLog } from '../../src/engine/prng.js';

describe('portableLog', () => {
  it('agrees with Math.log to within 2 ulp across the range a polar draw uses', () => {
    for (const x of [1e-300, 1e-12, 0.001, 0.1, 0.25, 0.5, 0.7071, 0.9999999, 1, 1.5, 2, 10, 12345.678]) {
      const expected = Math.log(x);
      expect(Math.abs(portableLog(x) - expected)).toBeLessThanOrEqual(Math.max(4.5e-16 * Math.abs(expected), 2.3e-16));
    }
  });
});

describe('NoiseStream', () => {
  it('gives the same values for the same seed, every time and everywhere (pinned values)', () => {
    const a = new NoiseStream(1234).fill(new Float32Array(6));
    const b = new NoiseStream(1234).fill(new Float32Array(6));
    expect([...a]).toEqual([...b]);
    // Pinned: a change here changes every seed users have recorded.
    expect([...a].map((v) => v.toFixed(6))).toMatchInlineSnapshot(`
      [
        "-0.530588",
        "-1.895148",
        "-0.908207",
        "0.932917",
        "-1.275238",
        "-0.047643",
      ]
    `);
  });

  it('gives different values for different seeds', () => {
    const a = new NoiseStream(1).fill(new Float32Array(64));
    const b = new NoiseStream(2).fill(new Float32Array(64));
    expect(a.some((v, i) => v !== b[i])).toBe(true);
  });

  it('is standard normal: mean 0, variance 1, symmetric tails', () => {
    const n = 400_000;
    const values = new NoiseStream(7).fill(new Float32Array(n));
    let sum = 0;
    let squares = 0;
    let beyond2 = 0;
    for (const v of values) {
      sum += v;
      squares += v * v;
      if (Math.abs(v) > 2) beyond2++;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - mean * mean - 1)).toBeLessThan(0.01);
    expect(beyond2 / n).toBeCloseTo(0.0455, 2);
  });

  it('draws in sequence: two halves equal one whole', () => {
    const whole = new NoiseStream(99).fill(new Float32Array(10));
    const stream = new NoiseStream(99);
    const first = stream.fill(new Float32Array(3));
    const second = stream.fill(new Float32Array(7));
    expect([...first, ...second]).toEqual([...whole]);
  });
});
