import { defineNode } from '../node-definition.js';
import { NodeError, noEngineError } from '../errors.js';
import { mergedRegions } from '../params/index.js';
import { durationSeconds } from '../audio-clip.js';
import { inpaintRequest } from './inpaint-request.js';
import { MAX_DURATION_SECONDS, cfgScaleParam, crossfadeMsParam, modelParam, sourceSamplingInputs, seedParam, stepsParam } from './sampling-params.js';

export const sa3Inpaint = defineNode({
  type: 'sa3.inpaint',
  typeVersion: 2,
  title: 'Inpaint',
  category: 'Stable Audio 3',
  description: 'Regenerates one or more regions [start, end) of the source along the prompt in one pass; audio outside them is kept sample for sample.',
  usesModel: true,
  inputs: sourceSamplingInputs,
  outputs: { audio: { type: 'audio', label: 'Audio' } },
  params: {
    model: modelParam,
    regions: {
      kind: 'regions',
      label: 'Regions',
      max: MAX_DURATION_SECONDS,
      default: [{ start: 0, end: 10 }],
      description: 'The regions to regenerate, each [start, end) in seconds; overlapping or touching regions are merged into one, as the official mask does.',
    },
    duration: {
      kind: 'number',
      label: 'Duration',
      unit: 's',
      min: 1,
      max: MAX_DURATION_SECONDS,
      optional: true,
      step: 0.5,
      description: 'Length of the result; left empty, the longer of the source and the last region end.',
    },
    steps: stepsParam,
    cfg_scale: cfgScaleParam,
    seed: seedParam,
    crossfade_ms: crossfadeMsParam,
  },
  checks: [
    {
      param: 'duration',
      code: 'invalid_range',
      message: 'must be at least the end of the last region',
      fails: (p) => p.duration !== undefined && p.regions.some((r) => r.end > p.duration!),
    },
  ],
  migrations: {
    // Version 1 had one region as start_seconds and end_seconds (defaults 0 and 10).
    1: ({ start_seconds, end_seconds, ...rest }) => ({ ...rest, regions: [{ start: start_seconds ?? 0, end: end_seconds ?? 10 }] }),
  },
  async run({ params, inputs, services, signal, progress }) {
    if (!services.engine) throw noEngineError();
    const sourceSeconds = durationSeconds(inputs.audio);
    const regions = mergedRegions(params.regions);
    const late = params.regions.findIndex((r) => r.start > sourceSeconds);
    if (late >= 0) {
      throw new NodeError(
        'value_bigger_than_max',
        `region ${late + 1} starts at ${params.regions[late]!.start} s but the source audio is only ${sourceSeconds.toFixed(3)} s long`,
        { param: 'regions', kind: 'input' },
      );
    }
    const target = {
      regions: regions.map((r) => ({ startSeconds: r.start, endSeconds: r.end })),
      durationSeconds: params.duration ?? Math.max(regions[regions.length - 1]!.end, sourceSeconds),
    };
    const audio = await services.engine.inpaint(inpaintRequest(params, inputs, target), { signal, onProgress: progress });
    return { audio };
  },
});
