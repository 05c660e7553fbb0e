import { describe, expect, it } from 'vitest';
import { generatedRanges, latentKeepMask } from '../../src/engine/inpaint-mask.js';
import { pasteBack } from '../../src/engine/paste-back.js';

const SR = 44_100;
const frames = 2 * SR;
const source = [Float32Array.from({ length: frames }, (_, i) => Math.sin(i / 7)), Float32Array.from({ length: frames }, (_, i) => Math.cos(i / 5))];
const generated = [new Float32Array(frames).fill(0.5), new Float32Array(frames).fill(-0.5)];
const region = (startSeconds: number, endSeconds: number) => ({ startSeconds, endSeconds });
const range = (start: number, end: number) => ({ start, end });

describe('pasteBack over several regions', () => {
  const fade = 441; // 10 ms
  const out = pasteBack(generated, source, [range(52_920, 66_150), range(8820, 17_640)], 10);
  const spans = [
    [8820, 17640],
    [52920, 66150],
  ] as const;

  it('keeps every sample outside the regions bit for bit, in every channel', () => {
    for (let c = 0; c < 2; c++) {
      const inside = (i: number) => spans.some(([s, e]) => i >= s && i < e);
      const changed = out[c]!.findIndex((v, i) => !inside(i) && v !== source[c]![i]);
      expect(changed).toBe(-1);
    }
  });

  it('crossfades with equal power inside each edge of each region, and is the new audio between', () => {
    for (const [start, end] of spans) {
      for (const i of [0, 100, fade - 1]) {
        const theta = ((i + 0.5) / fade) * (Math.PI / 2);
        expect(out[0]![start + i]).toBeCloseTo(source[0]![start + i]! * Math.cos(theta) + 0.5 * Math.sin(theta), 6);
        const j = end - fade + i;
        expect(out[0]![j]).toBeCloseTo(0.5 * Math.cos(theta) + source[0]![j]! * Math.sin(theta), 6);
      }
      expect(out[1]!.subarray(start + fade, end - fade).every((v) => v === -0.5)).toBe(true);
    }
  });

  it('treats overlapping regions as one: no fade inside their union', () => {
    const merged = pasteBack(generated, source, [range(8820, 17_640), range(13_230, 26_460)], 10);
    expect(merged[0]!.subarray(8820 + fade, 26460 - fade).every((v) => v === 0.5)).toBe(true);
    expect(merged[0]![26460]).toBe(source[0]![26460]);
  });
});

describe('latentKeepMask', () => {
  it('samples the audio-rate mask at each frame start, as the official generate() does', () => {
    // Region [1000, 5000) in samples; frames of 4096: frame 0 starts before it (kept), frame 1 at 4096 inside it.
    const mask = latentKeepMask(4, 4096, [region(1000 / SR, 5000 / SR)], (4 * 4096) / SR, 4 * 4096);
    expect([...mask]).toEqual([1, 0, 1, 1]);
  });

  it('generates from the duration on', () => {
    expect([...latentKeepMask(4, 4096, [region(0, 100 / SR)], 8192 / SR, 8192)]).toEqual([0, 1, 0, 0]);
  });

  it('extending: generates the frame that holds the source end, which kept would encode zero padding', () => {
    // Source of 6000 samples extended to 4 frames: frame 1 holds samples 4096..8191, the source ends at 6000.
    const extend = latentKeepMask(4, 4096, [region(6000 / SR, (4 * 4096) / SR)], (4 * 4096) / SR, 6000);
    expect([...extend]).toEqual([1, 0, 0, 0]);
    // The same frame is kept when nothing after the source end is to be generated.
    expect([...latentKeepMask(4, 4096, [region(0, 100 / SR)], (4 * 4096) / SR, 6000)]).toEqual([0, 1, 1, 1]);
  });
});

describe('generatedRanges', () => {
  it('starts a region that begins inside a kept frame at the next frame, and leaves out one with no generated frame', () => {
    const regions = [region(1000 / SR, 5000 / SR), region(8192 / SR, 9000 / SR), region(12_300 / SR, 12_400 / SR)];
    const mask = latentKeepMask(4, 4096, regions, (4 * 4096) / SR, 4 * 4096);
    expect([...mask]).toEqual([1, 0, 0, 1]);
    expect(generatedRanges(regions, mask, 4096)).toEqual([range(4096, 5000), range(8192, 9000)]);
  });

  it('extending: the region starts at the source end, inside the generated frame that holds it', () => {
    const regions = [region(6000 / SR, (4 * 4096) / SR)];
    expect(generatedRanges(regions, latentKeepMask(4, 4096, regions, (4 * 4096) / SR, 6000), 4096)).toEqual([range(6000, 4 * 4096)]);
  });
});
