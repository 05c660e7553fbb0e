import type { AudioClip } from '../audio-clip.js';
import type { InpaintRequest } from '../engine.js';
import type { Conditioning } from '../sockets.js';

interface SamplingParams {
  readonly model: string;
  readonly steps: number;
  readonly cfg_scale: number;
  readonly seed: number;
  readonly crossfade_ms: number;
}

/** The engine request of the nodes that regenerate a region of a source (inpaint, extend). */
export function inpaintRequest(
  params: SamplingParams,
  inputs: { readonly prompt: Conditioning; readonly negative: Conditioning | undefined; readonly audio: AudioClip },
  region: { readonly startSeconds: number; readonly endSeconds: number; readonly durationSeconds: number },
): InpaintRequest {
  return {
    model: params.model,
    prompt: inputs.prompt,
    negative: inputs.negative,
    source: inputs.audio,
    ...region,
    crossfadeMs: params.crossfade_ms,
    steps: params.steps,
    cfgScale: params.cfg_scale,
    seed: params.seed,
  };
}
