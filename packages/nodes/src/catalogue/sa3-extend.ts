import { defineNode } from '../node-definition.js';
import { NodeError, noEngineError } from '../errors.js';
import { durationSeconds } from '../audio-clip.js';
import { inpaintRequest } from './inpaint-request.js';
import { MAX_DURATION_SECONDS, cfgScaleParam, crossfadeMsParam, modelParam, sourceSamplingInputs, seedParam, stepsParam } from './sampling-params.js';

export const sa3Extend = defineNode({
  type: 'sa3.extend',
  typeVersion: 1,
  title: 'Extend',
  category: 'Stable Audio 3',
  description: 'Continues the source: keeps it sample for sample and generates what follows (inpainting from its end).',
  usesModel: true,
  inputs: sourceSamplingInputs,
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    model: modelParam,
    add_seconds: {
      kind: 'number',
      label: 'Add',
      unit: 's',
      min: 1,
      max: MAX_DURATION_SECONDS,
      default: 10,
      step: 0.5,
      description: 'Seconds of new audio to append.',
    },
    duration: {
      kind: 'number',
      label: 'Total duration',
      unit: 's',
      min: 1,
      max: MAX_DURATION_SECONDS,
      optional: true,
      step: 0.5,
      description: 'Total length of the result; when set it replaces add_seconds.',
    },
    steps: stepsParam,
    cfg_scale: cfgScaleParam,
    seed: seedParam,
    crossfade_ms: crossfadeMsParam,
  },
  async run({ params, inputs, services, signal, progress }) {
    if (!services.engine) throw noEngineError();
    const sourceSeconds = durationSeconds(inputs.audio);
    const total = params.duration ?? sourceSeconds + params.add_seconds;
    if (total <= sourceSeconds) {
      throw new NodeError('invalid_range', `duration ${total} s is not longer than the ${sourceSeconds.toFixed(3)} s source, so there is nothing to extend`, {
        param: 'duration',
        kind: 'input',
      });
    }
    if (total > MAX_DURATION_SECONDS) {
      throw new NodeError('value_bigger_than_max', `the extended audio would be ${total.toFixed(3)} s, above the ${MAX_DURATION_SECONDS} s maximum`, {
        param: params.duration === undefined ? 'add_seconds' : 'duration',
        kind: 'input',
      });
    }
    // Extending is inpainting from the end of the source to the new length.
    const region = { regions: [{ startSeconds: sourceSeconds, endSeconds: total }], durationSeconds: total };
    const audio = await services.engine.inpaint(inpaintRequest(params, inputs, region), { signal, onProgress: progress });
    return { audio };
  },
});
