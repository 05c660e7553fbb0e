import { cancelledError } from '@sa3/nodes';

/**
 * The model call the samplers drive: returns the velocity at (x, t), guidance already applied.
 * `step` is 0-based.
 */
export type VelocityModel = (x: Float32Array, t: number, step: number) => Promise<Float32Array>;

export interface SamplerRun {
  readonly start: Float32Array;
  readonly sigmas: ArrayLike<number>;
  readonly model: VelocityModel;
  /** Fresh N(0, 1) noise for ping-pong step `step`, drawn in step order. */
  readonly stepNoise: (step: number) => Float32Array;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: number, total: number) => void;
}

function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelledError();
}

/**
 * Ping-pong sampling for post-trained (rf_denoiser) models: denoise fully, then re-noise to the
 * next sigma with fresh noise. The last step's draw is made and multiplied away, as officially.
 */
export async function samplePingPong(run: SamplerRun): Promise<Float32Array> {
  const steps = run.sigmas.length - 1;
  let x = run.start;
  for (let i = 0; i < steps; i++) {
    checkCancelled(run.signal);
    const t = run.sigmas[i]!;
    const next = run.sigmas[i + 1]!;
    const v = await run.model(x, t, i);
    const noise = run.stepNoise(i);
    const out = new Float32Array(x.length);
    for (let k = 0; k < x.length; k++) {
      const denoised = x[k]! - t * v[k]!;
      out[k] = (1 - next) * denoised + next * noise[k]!;
    }
    x = out;
    run.onStep?.(i + 1, steps);
  }
  return x;
}

/** Euler steps along the velocity for base (rectified_flow) models. Draws no step noise. */
export async function sampleEuler(run: Omit<SamplerRun, 'stepNoise'>): Promise<Float32Array> {
  const steps = run.sigmas.length - 1;
  let x = run.start;
  for (let i = 0; i < steps; i++) {
    checkCancelled(run.signal);
    const t = run.sigmas[i]!;
    const dt = run.sigmas[i + 1]! - t;
    const v = await run.model(x, t, i);
    const out = new Float32Array(x.length);
    for (let k = 0; k < x.length; k++) out[k] = x[k]! + dt * v[k]!;
    x = out;
    run.onStep?.(i + 1, steps);
  }
  return x;
}
