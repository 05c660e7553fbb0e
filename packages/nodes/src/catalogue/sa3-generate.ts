import { defineNode } from '../node-definition.js';
import { noEngineError } from '../errors.js';
import { MAX_DURATION_SECONDS, cfgScaleParam, modelParam, samplingInputs, samplingRequest, seedParam, stepsParam } from './sampling-params.js';

export const sa3Generate = defineNode({
  type: 'sa3.generate',
  typeVersion: 1,
  title: 'Generate',
  category: 'Stable Audio 3',
  description: 'Text to audio: samples new audio of the given duration from the prompt.',
  usesModel: true,
  inputs: samplingInputs,
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    model: modelParam,
    duration: {
      kind: 'number',
      label: 'Duration',
      unit: 's',
      min: 1,
      max: MAX_DURATION_SECONDS,
      default: 30,
      step: 0.5,
      description: 'Length of the generated audio in seconds.',
    },
    steps: stepsParam,
    cfg_scale: cfgScaleParam,
    seed: seedParam,
  },
  async run({ params, inputs, services, signal, progress }) {
    if (!services.engine) throw noEngineError();
    const request = { ...samplingRequest(params, inputs), durationSeconds: params.duration };
    const audio = await services.engine.generate(request, { signal, onProgress: progress });
    return { audio };
  },
});
