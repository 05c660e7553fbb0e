import { defineNode } from '../node-definition.js';
import { NodeError } from '../errors.js';
import { durationSeconds, frameCount, secondsToFrames } from '../audio-clip.js';
import { sliceClip } from '../dsp/index.js';

export const audioTrim = defineNode({
  type: 'audio.trim',
  typeVersion: 1,
  title: 'Trim',
  category: 'Audio utilities',
  description: 'Keeps the part of the audio between start and end.',
  inputs: { audio: { type: 'audio', label: 'Audio' } },
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    start_seconds: { kind: 'number', label: 'Start', unit: 's', min: 0, default: 0, step: 0.01, description: 'Where the kept part starts, in seconds.' },
    end_seconds: {
      kind: 'number',
      label: 'End',
      unit: 's',
      min: 0,
      optional: true,
      step: 0.01,
      description: 'Where the kept part ends (exclusive); left empty, the end of the audio.',
    },
  },
  checks: [
    {
      param: 'end_seconds',
      code: 'invalid_range',
      message: 'must be greater than start_seconds',
      fails: (p) => p.end_seconds !== undefined && p.end_seconds <= p.start_seconds,
    },
  ],
  run({ params, inputs }) {
    const length = durationSeconds(inputs.audio);
    if (params.start_seconds >= length) {
      throw new NodeError('value_bigger_than_max', `start_seconds is ${params.start_seconds} s but the audio is only ${length.toFixed(3)} s long`, {
        param: 'start_seconds',
        kind: 'input',
      });
    }
    const start = secondsToFrames(params.start_seconds, inputs.audio.sampleRate);
    const end =
      params.end_seconds === undefined
        ? frameCount(inputs.audio)
        : Math.min(frameCount(inputs.audio), secondsToFrames(params.end_seconds, inputs.audio.sampleRate));
    return { audio: sliceClip(inputs.audio, start, end) };
  },
});
