import { defineNode } from '../node-definition.js';
import { peakOf, rmsOf } from '../audio-clip.js';
import { scaleClip } from '../dsp/index.js';

export const audioNormalize = defineNode({
  type: 'audio.normalize',
  typeVersion: 1,
  title: 'Normalize',
  category: 'Audio utilities',
  description: 'Scales the audio so its peak (or RMS level) reaches the target; silence is passed through unchanged.',
  inputs: { audio: { type: 'audio', label: 'Audio' } },
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    mode: {
      kind: 'enum',
      label: 'Measure',
      options: ['peak', 'rms'],
      default: 'peak',
      description: 'Normalize the highest sample (peak) or the average power (rms).',
    },
    target_db: {
      kind: 'number',
      label: 'Target',
      unit: 'dBFS',
      min: -60,
      max: 0,
      default: -1,
      step: 0.5,
      description: 'Level to reach, in dB relative to full scale.',
    },
  },
  run({ params, inputs }) {
    const level = params.mode === 'peak' ? peakOf(inputs.audio) : rmsOf(inputs.audio);
    if (level === 0) return { audio: inputs.audio };
    return { audio: scaleClip(inputs.audio, Math.pow(10, params.target_db / 20) / level) };
  },
});
