import { defineNode } from '../node-definition.js';
import type { AudioClip } from '../audio-clip.js';
import { fadeCurves, concatClips } from '../dsp/index.js';

export const audioConcat = defineNode({
  type: 'audio.concat',
  typeVersion: 1,
  title: 'Concatenate',
  category: 'Audio utilities',
  description: 'Plays the inputs one after another (a, b, then c and d when connected), optionally overlapping each join with a crossfade.',
  inputs: {
    a: { type: 'audio', label: 'A' },
    b: { type: 'audio', label: 'B' },
    c: { type: 'audio', label: 'C', optional: true },
    d: { type: 'audio', label: 'D', optional: true },
  },
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    crossfade_ms: {
      kind: 'number',
      label: 'Crossfade',
      unit: 'ms',
      min: 0,
      max: 30_000,
      default: 0,
      step: 10,
      description: 'Overlap at each join; the result is shorter by the overlaps. Capped by the shorter clip.',
    },
    curve: {
      kind: 'enum',
      label: 'Curve',
      options: fadeCurves,
      default: 'equal-power',
      description: 'Shape of the crossfade: equal-power keeps loudness steady for unrelated material, linear suits identical material.',
    },
  },
  run({ params, inputs }) {
    const clips = [inputs.a, inputs.b, inputs.c, inputs.d].filter((clip): clip is AudioClip => clip !== undefined);
    const crossfadeFrames = Math.round((params.crossfade_ms / 1000) * inputs.a.sampleRate);
    return { audio: concatClips(clips, crossfadeFrames, params.curve) };
  },
});
