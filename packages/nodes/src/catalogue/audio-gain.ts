import { defineNode } from '../node-definition.js';
import { scaleClip } from '../dsp/index.js';

export const audioGain = defineNode({
  type: 'audio.gain',
  typeVersion: 1,
  title: 'Gain',
  category: 'Audio utilities',
  description: 'Makes the audio louder or quieter by a fixed number of decibels.',
  inputs: { audio: { type: 'audio', label: 'Audio' } },
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    gain_db: {
      kind: 'number',
      label: 'Gain',
      unit: 'dB',
      min: -60,
      max: 24,
      default: 0,
      step: 0.5,
      description: 'Gain in decibels; +6 dB roughly doubles the amplitude.',
    },
  },
  run({ params, inputs }) {
    return { audio: scaleClip(inputs.audio, Math.pow(10, params.gain_db / 20)) };
  },
});
