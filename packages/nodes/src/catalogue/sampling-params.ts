import { RANDOM_SEED } from '../params/index.js';
import type { Conditioning, LoraAdapter, ModelStack } from '../sockets.js';

/**
 * Params shared by the sampling nodes, with the names, ranges and defaults of the hosted
 * stable-audio-3-medium input schema (reference/replicate-stable-audio-3-medium.schema.json).
 */
export const modelParam = {
  kind: 'model',
  label: 'Model',
  default: 'auto',
  description: 'Model pack id, for example "medium" or "small-music"; "auto" uses the best installed pack.',
} as const;

export const stepsParam = {
  kind: 'number',
  label: 'Steps',
  integer: true,
  min: 4,
  max: 50,
  default: 8,
  step: 1,
  description: 'Number of diffusion sampling steps. 8 is the post-trained default; lower is faster, higher rarely helps.',
} as const;

export const cfgScaleParam = {
  kind: 'number',
  label: 'CFG scale',
  min: 0.5,
  max: 15,
  default: 1,
  step: 0.5,
  description: 'Classifier-free guidance scale. Only affects -base models; 1 skips the unconditional pass.',
} as const;

export const seedParam = {
  kind: 'seed',
  label: 'Seed',
  default: RANDOM_SEED,
  description: 'Random seed. -1 selects a new random seed for each run; the seed used is written to the run report.',
} as const;

export const MAX_DURATION_SECONDS = 380;

export const crossfadeMsParam = {
  kind: 'number',
  label: 'Crossfade',
  unit: 'ms',
  min: 0,
  max: 2000,
  default: 25,
  step: 5,
  description: 'Equal-power crossfade between the kept audio and the new audio, inside the edges of the regenerated region.',
} as const;

export const samplingInputs = {
  prompt: { type: 'conditioning', label: 'Prompt' },
  negative: { type: 'conditioning', label: 'Negative prompt', optional: true },
  // When wired, its pack and LoRA stack replace the model param.
  model: { type: 'model', label: 'Model', optional: true },
} as const;

/** The inputs of the nodes that start from a source audio (edit, inpaint, extend). */
export const sourceSamplingInputs = { ...samplingInputs, audio: { type: 'audio', label: 'Source audio' } } as const;

interface SamplingParamValues {
  readonly model: string;
  readonly steps: number;
  readonly cfg_scale: number;
  readonly seed: number;
}

interface SamplingInputValues {
  readonly prompt: Conditioning;
  readonly negative: Conditioning | undefined;
  readonly model: ModelStack | undefined;
}

export interface SamplingRequestFields {
  readonly model: string;
  readonly adapters?: readonly LoraAdapter[];
  readonly prompt: Conditioning;
  readonly negative: Conditioning | undefined;
  readonly steps: number;
  readonly cfgScale: number;
  readonly seed: number;
}

/** What every sampling node's engine request starts with: the model (the wired one wins), prompts and sampling params. */
export function samplingRequest(params: SamplingParamValues, inputs: SamplingInputValues): SamplingRequestFields {
  const wired = inputs.model;
  return {
    model: wired?.pack ?? params.model,
    ...(wired && wired.adapters.length > 0 ? { adapters: wired.adapters } : {}),
    prompt: inputs.prompt,
    negative: inputs.negative,
    steps: params.steps,
    cfgScale: params.cfg_scale,
    seed: params.seed,
  };
}
