import { describe, expect, it } from 'vitest';
import { checkNodeParams, getNodeDefinition, nodeParamWarnings } from '../src/index.js';
import { loopFrames } from '../src/catalogue/sa3-loop.js';

const bars = (count: number, beats: number, bpm: number) => loopFrames({ length_in: 'bars', bars: count, beats_per_bar: beats, bpm, seconds: 8 });

describe('sa3.loop length', () => {
  it('is bars x beats per bar x 60 / BPM seconds, rounded to the nearest frame', () => {
    expect(bars(4, 4, 120)).toBe(352_800);
    expect(bars(8, 4, 100)).toBe(846_720);
    // 3/4 at 133 BPM: 59684.21 frames a bar.
    expect(bars(1, 3, 133)).toBe(59_684);
    expect(bars(2, 7, 90)).toBe(411_600);
    expect(loopFrames({ length_in: 'seconds', bars: 4, beats_per_bar: 4, bpm: 120, seconds: 2.5 })).toBe(110_250);
  });

  it('uses bars, tempo and beats per bar only when the length is in bars', () => {
    const loop = getNodeDefinition('sa3.loop')!;
    expect(checkNodeParams(loop, { bars: 4, bpm: 120 })).toEqual([]);
    expect(checkNodeParams(loop, { bpm: 400 })).toEqual([
      { kind: 'value', code: 'value_bigger_than_max', param: 'bpm', message: 'is 400, above the maximum 300 BPM' },
    ]);
    expect(nodeParamWarnings(loop, { length_in: 'seconds', bars: 8 }).map((w) => w.param)).toEqual(['bars']);
  });
});
