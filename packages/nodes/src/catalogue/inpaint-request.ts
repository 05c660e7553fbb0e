import type { AudioClip } from '../audio-clip.js';
import type { InpaintRegion, InpaintRequest } from '../engine.js';
import type { Conditioning, ModelStack } from '../sockets.js';
import { samplingRequest } from './sampling-params.js';

interface SamplingParams {
  readonly model: string;
  readonly steps: number;
  readonly cfg_scale: number;
  readonly seed: number;
  readonly crossfade_ms: number;
}

/** The engine request of the nodes that regenerate regions of a source (inpaint, extend). */
export function inpaintRequest(
  params: SamplingParams,
  inputs: { readonly prompt: Conditioning; readonly negative: Conditioning | undefined; readonly model: ModelStack | undefined; readonly audio: AudioClip },
  target: { readonly regions: readonly InpaintRegion[]; readonly durationSeconds: number },
): InpaintRequest {
  return { ...samplingRequest(params, inputs), source: inputs.audio, ...target, crossfadeMs: params.crossfade_ms };
}
