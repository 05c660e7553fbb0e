import { defineNode } from '../node-definition.js';
import { secondsToFrames } from '../audio-clip.js';
import { fadeCurves, fadeClip } from '../dsp/index.js';

export const audioFade = defineNode({
  type: 'audio.fade',
  typeVersion: 1,
  title: 'Fade',
  category: 'Audio utilities',
  description: 'Fades the start in from silence and the end out to silence.',
  inputs: { audio: { type: 'audio', label: 'Audio' } },
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    fade_in_seconds: {
      kind: 'number',
      label: 'Fade in',
      unit: 's',
      min: 0,
      max: 60,
      default: 0,
      step: 0.1,
      description: 'Length of the fade-in at the start.',
    },
    fade_out_seconds: {
      kind: 'number',
      label: 'Fade out',
      unit: 's',
      min: 0,
      max: 60,
      default: 1,
      step: 0.1,
      description: 'Length of the fade-out at the end.',
    },
    curve: { kind: 'enum', label: 'Curve', options: fadeCurves, default: 'equal-power', description: 'Shape of both fades.' },
  },
  run({ params, inputs }) {
    const rate = inputs.audio.sampleRate;
    return { audio: fadeClip(inputs.audio, secondsToFrames(params.fade_in_seconds, rate), secondsToFrames(params.fade_out_seconds, rate), params.curve) };
  },
});
