import { describe, expect, it } from 'vitest';
import { gainText, matchedVolumes } from '../src/app/matched-volume.js';

describe('A/B loudness matching', () => {
  it('turns the louder take down by the level difference and leaves the quieter at full volume', () => {
    const [a, b] = matchedVolumes(-14, -20);
    expect(b).toBe(1);
    expect(20 * Math.log10(a)).toBeCloseTo(-6, 10);
    expect(matchedVolumes(-23, -17)[0]).toBe(1);
    expect(20 * Math.log10(matchedVolumes(-23, -17)[1])).toBeCloseTo(-6, 10);
    expect(matchedVolumes(-9, -9)).toEqual([1, 1]);
  });

  it('says the gain in dB without a negative zero', () => {
    expect(gainText(1)).toBe('0.0 dB');
    expect(gainText(Math.pow(10, -3.5 / 20))).toBe('-3.5 dB');
    expect(gainText(0.99999)).toBe('0.0 dB');
  });
});
