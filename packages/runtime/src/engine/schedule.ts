/**
 * The official sampling schedule: LogSNR shift with rate 0 (anchor -6.2, end 2.0), so it does
 * not depend on the clip length. `linspace(1, 0, steps + 1)` mapped through
 * sigmoid(-(2 - t * 8.2)), endpoints kept.
 */
const LOGSNR_END = 2.0;
const LOGSNR_ANCHOR = -6.2;

function shift(t: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return 1;
  const logsnr = LOGSNR_END - t * (LOGSNR_END - LOGSNR_ANCHOR);
  return 1 / (1 + Math.exp(logsnr));
}

/**
 * Sigmas from `sigmaMax` down to 0, `steps + 1` values. For sigmaMax = 1 this is exactly the
 * official schedule. For audio-to-audio (sigmaMax < 1) the full schedule is scaled by sigmaMax,
 * which keeps it decreasing; the official code instead forces t[0] = sigmaMax on the unscaled
 * curve, so its second sigma is higher than its first (a known upstream bug).
 */
export function samplingSchedule(steps: number, sigmaMax = 1): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a whole number from 1, got ${steps}`);
  const sigmas = new Float64Array(steps + 1);
  for (let i = 0; i <= steps; i++) sigmas[i] = sigmaMax * shift(1 - i / steps);
  sigmas[0] = sigmaMax;
  return sigmas;
}
