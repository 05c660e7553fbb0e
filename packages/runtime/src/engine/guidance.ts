/**
 * Classifier-free guidance with adaptive projected guidance (APG), in denoised space, exactly
 * as the official DiT forward combines its two branches. Latents are [channels, length]
 * channel-major; only the first `validLatents` columns count for the projection.
 */
export interface GuidanceInput {
  readonly x: Float32Array;
  readonly vCond: Float32Array;
  readonly vUncond: Float32Array;
  readonly t: number;
  readonly cfgScale: number;
  /** 1 = full APG (the official default), 0 = vanilla CFG. */
  readonly apgScale: number;
  readonly channels: number;
  readonly length: number;
  readonly validLatents: number;
}

export function guidedVelocity(input: GuidanceInput): Float32Array {
  const { x, vCond, vUncond, t, cfgScale, apgScale, channels, length, validLatents } = input;
  const size = channels * length;
  const cond = new Float64Array(size);
  const diff = new Float64Array(size);
  let norm = 0;
  for (let c = 0; c < channels; c++) {
    for (let j = 0; j < length; j++) {
      const i = c * length + j;
      const denoisedCond = x[i]! - vCond[i]! * t;
      const denoisedUncond = x[i]! - vUncond[i]! * t;
      cond[i] = denoisedCond;
      diff[i] = denoisedCond - denoisedUncond;
      if (j < validLatents) norm += denoisedCond * denoisedCond;
    }
  }
  norm = Math.sqrt(norm);
  let dot = 0;
  if (norm > 0) {
    for (let c = 0; c < channels; c++) {
      for (let j = 0; j < validLatents; j++) {
        const i = c * length + j;
        dot += diff[i]! * (cond[i]! / norm);
      }
    }
  }
  const out = new Float32Array(size);
  for (let c = 0; c < channels; c++) {
    for (let j = 0; j < length; j++) {
      const i = c * length + j;
      const orthogonal = j < validLatents ? diff[i]! - (norm > 0 ? (dot * cond[i]!) / norm : 0) : 0;
      const guided = cond[i]! + (cfgScale - 1) * (apgScale * orthogonal + (1 - apgScale) * diff[i]!);
      out[i] = (x[i]! - guided) / t;
    }
  }
  return out;
}
