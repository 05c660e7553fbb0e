import { defineNode } from '../node-definition.js';
import { noEngineError } from '../errors.js';
import { durationSeconds } from '../audio-clip.js';
import { MAX_DURATION_SECONDS, cfgScaleParam, modelParam, sourceSamplingInputs, samplingRequest, seedParam, stepsParam } from './sampling-params.js';

export const sa3Edit = defineNode({
  type: 'sa3.edit',
  typeVersion: 1,
  title: 'Edit (init audio)',
  category: 'Stable Audio 3',
  description: 'Audio to audio: re-imagines the source audio along the prompt; the noise level sets how far it may move.',
  usesModel: true,
  inputs: sourceSamplingInputs,
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    model: modelParam,
    init_noise_level: {
      kind: 'number',
      label: 'Init noise level',
      min: 0,
      max: 1,
      default: 0.9,
      step: 0.01,
      description: 'How much the init audio influences the output. 1.0 = pure generation, lower keeps more of the original.',
    },
    duration: {
      kind: 'number',
      label: 'Duration',
      unit: 's',
      min: 1,
      max: MAX_DURATION_SECONDS,
      optional: true,
      step: 0.5,
      description: 'Length of the result in seconds; left empty, the source length.',
    },
    steps: stepsParam,
    cfg_scale: cfgScaleParam,
    seed: seedParam,
  },
  // The schema allows 0 (as the hosted model's does); below 0.01 the model is undefined (NaN).
  checks: [
    {
      param: 'init_noise_level',
      code: 'value_smaller_than_min',
      message: 'must be at least 0.01: below that the model is undefined',
      fails: (p) => p.init_noise_level < 0.01,
    },
  ],
  async run({ params, inputs, services, signal, progress }) {
    if (!services.engine) throw noEngineError();
    const request = {
      ...samplingRequest(params, inputs),
      source: inputs.audio,
      initNoiseLevel: params.init_noise_level,
      durationSeconds: params.duration ?? durationSeconds(inputs.audio),
    };
    const audio = await services.engine.edit(request, { signal, onProgress: progress });
    return { audio };
  },
});
