import type { AudioClip } from '../audio-clip.js';
import type { InpaintRegion, InpaintRequest } from '../engine.js';
import type { Conditioning } from '../sockets.js';

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
  inputs: { readonly prompt: Conditioning; readonly negative: Conditioning | undefined; readonly audio: AudioClip },
  target: { readonly regions: readonly InpaintRegion[]; readonly durationSeconds: number },
): InpaintRequest {
  return {
    model: params.model,
    prompt: inputs.prompt,
    negative: inputs.negative,
    source: inputs.audio,
    ...target,
    crossfadeMs: params.crossfade_ms,
    steps: params.steps,
    cfgScale: params.cfg_scale,
    seed: params.seed,
  };
}
