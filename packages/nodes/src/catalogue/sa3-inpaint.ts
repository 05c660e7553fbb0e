import { defineNode } from '../node-definition.js';
import { NodeError, noEngineError } from '../errors.js';
import { durationSeconds } from '../audio-clip.js';
import { inpaintRequest } from './inpaint-request.js';
import { MAX_DURATION_SECONDS, cfgScaleParam, crossfadeMsParam, modelParam, samplingInputs, seedParam, stepsParam } from './sampling-params.js';

export const sa3Inpaint = defineNode({
  type: 'sa3.inpaint',
  typeVersion: 1,
  title: 'Inpaint',
  category: 'Stable Audio 3',
  description: 'Regenerates the region [start, end) of the source along the prompt; audio outside it is kept sample for sample.',
  usesModel: true,
  inputs: { ...samplingInputs, audio: { type: 'audio', label: 'Source audio' } },
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    model: modelParam,
    start_seconds: {
      kind: 'number',
      label: 'Start',
      unit: 's',
      min: 0,
      max: MAX_DURATION_SECONDS,
      default: 0,
      step: 0.1,
      description: 'Start of the region to regenerate, in seconds.',
    },
    end_seconds: {
      kind: 'number',
      label: 'End',
      unit: 's',
      min: 0,
      max: MAX_DURATION_SECONDS,
      default: 10,
      step: 0.1,
      description: 'End of the region to regenerate, in seconds (exclusive).',
    },
    duration: {
      kind: 'number',
      label: 'Duration',
      unit: 's',
      min: 1,
      max: MAX_DURATION_SECONDS,
      optional: true,
      step: 0.5,
      description: 'Length of the result; left empty, the longer of the source and the region end.',
    },
    steps: stepsParam,
    cfg_scale: cfgScaleParam,
    seed: seedParam,
    crossfade_ms: crossfadeMsParam,
  },
  checks: [
    { param: 'end_seconds', code: 'invalid_range', message: 'must be greater than start_seconds', fails: (p) => p.end_seconds <= p.start_seconds },
    { param: 'duration', code: 'invalid_range', message: 'must be at least end_seconds', fails: (p) => p.duration !== undefined && p.duration < p.end_seconds },
  ],
  async run({ params, inputs, services, signal, progress }) {
    if (!services.engine) throw noEngineError();
    const sourceSeconds = durationSeconds(inputs.audio);
    if (params.start_seconds > sourceSeconds) {
      throw new NodeError(
        'value_bigger_than_max',
        `start_seconds is ${params.start_seconds} s but the source audio is only ${sourceSeconds.toFixed(3)} s long`,
        { param: 'start_seconds', kind: 'input' },
      );
    }
    const region = {
      startSeconds: params.start_seconds,
      endSeconds: params.end_seconds,
      durationSeconds: params.duration ?? Math.max(params.end_seconds, sourceSeconds),
    };
    const audio = await services.engine.inpaint(inpaintRequest(params, inputs, region), { signal, onProgress: progress });
    return { audio };
  },
});
