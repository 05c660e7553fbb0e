import { defineNode } from '../node-definition.js';
import { LOUDNESS_LIMITS } from '../loudness.js';

export const audioLoudness = defineNode({
  type: 'audio.loudness',
  typeVersion: 1,
  title: 'Loudness',
  category: 'Audio utilities',
  description:
    "Brings the integrated loudness to a LUFS target with a true-peak ceiling (EBU R128, ITU-R BS.1770), in two passes of ffmpeg's loudnorm: " +
    'the first measures, the second applies one gain to the whole clip when that keeps the true peak under the ceiling (linear mode, the sound is untouched), ' +
    'and otherwise a gain that follows the audio with a true-peak limiter (dynamic mode). Length and sample rate stay as they were. ' +
    'The defaults, -14 LUFS and -1 dBTP, are what the main streaming services normalize to; the ranges are those the filter accepts. ' +
    "The measured loudness (integrated, range and true peak, before and after) appears in the node's output summary.",
  inputs: { audio: { type: 'audio', label: 'Audio' } },
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    target_lufs: {
      kind: 'number',
      label: 'Target',
      unit: 'LUFS',
      min: LOUDNESS_LIMITS.integratedLufs.min,
      max: LOUDNESS_LIMITS.integratedLufs.max,
      default: -14,
      step: 0.5,
      description: 'Integrated loudness to reach: -14 LUFS for streaming services, -16 for podcasts, -23 for EBU R128 broadcast.',
    },
    true_peak_dbtp: {
      kind: 'number',
      label: 'True-peak ceiling',
      unit: 'dBTP',
      min: LOUDNESS_LIMITS.truePeakDbtp.min,
      max: LOUDNESS_LIMITS.truePeakDbtp.max,
      default: -1,
      step: 0.1,
      description: 'Highest true (inter-sample) peak allowed; -1 dBTP leaves room for the overshoot of lossy encoders.',
    },
    loudness_range: {
      kind: 'number',
      label: 'Loudness range',
      unit: 'LU',
      min: LOUDNESS_LIMITS.rangeLu.min,
      max: LOUDNESS_LIMITS.rangeLu.max,
      default: LOUDNESS_LIMITS.rangeLu.max,
      step: 1,
      description:
        'Largest loudness range (LRA) kept. The default, the widest the filter allows, keeps the dynamics: one gain whenever the ceiling allows it. ' +
        'A smaller range also evens out loud and quiet passages whenever the audio has a wider range, and that needs dynamic mode.',
    },
  },
  async run({ params, inputs, services, signal }) {
    const target = { integratedLufs: params.target_lufs, truePeakDbtp: params.true_peak_dbtp, rangeLu: params.loudness_range };
    return { audio: await services.audio.normalizeLoudness(inputs.audio, target, signal) };
  },
});
