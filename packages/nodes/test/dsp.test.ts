import { describe, expect, it } from 'vitest';
import { concatClips, fadeClip, fadeInGain, frameCount, type AudioClip } from '../src/index.js';

function constant(frames: number, value: number): AudioClip {
  return { sampleRate: 44_100, channels: [new Float32Array(frames).fill(value), new Float32Array(frames).fill(-value)] };
}

describe('fade curves', () => {
  it('start silent and end at unity', () => {
    for (const curve of ['linear', 'equal-power', 'exponential'] as const) {
      expect(fadeInGain(curve, 0)).toBe(0);
      expect(fadeInGain(curve, 1)).toBeCloseTo(1, 12);
    }
  });

  it('equal-power keeps the summed power of a crossfade at 1', () => {
    for (const x of [0.1, 0.25, 0.5, 0.9]) expect(fadeInGain('equal-power', x) ** 2 + fadeInGain('equal-power', 1 - x) ** 2).toBeCloseTo(1, 12);
  });
});

describe('concatClips', () => {
  it('without crossfade, the length is the sum and samples are copied exactly', () => {
    const out = concatClips([constant(100, 0.5), constant(50, 0.25)], 0, 'linear');
    expect(frameCount(out)).toBe(150);
    expect(out.channels[0]![99]).toBe(0.5);
    expect(out.channels[0]![100]).toBe(0.25);
    expect(out.channels[1]![149]).toBe(-0.25);
  });

  it('with a linear crossfade of identical material, the level stays flat through the join', () => {
    const out = concatClips([constant(1000, 0.5), constant(1000, 0.5), constant(1000, 0.5)], 200, 'linear');
    expect(frameCount(out)).toBe(2600);
    for (let i = 0; i < 2600; i++) expect(out.channels[0]![i]).toBeCloseTo(0.5, 6);
  });

  it('caps the overlap by the shorter clip', () => {
    expect(frameCount(concatClips([constant(1000, 1), constant(100, 1)], 500, 'equal-power'))).toBe(1000);
  });
});

describe('fadeClip', () => {
  it('silences the first and last samples and leaves the middle untouched', () => {
    const out = fadeClip(constant(1000, 0.8), 100, 200, 'linear');
    expect(out.channels[0]![0]).toBe(0);
    expect(out.channels[0]![999]).toBe(0);
    expect(out.channels[0]![50]).toBeCloseTo(0.4, 6);
    expect(out.channels[0]![500]).toBe(Math.fround(0.8));
    expect(out.channels[1]![500]).toBe(Math.fround(-0.8));
  });
});
