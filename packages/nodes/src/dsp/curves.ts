export type FadeCurve = 'linear' | 'equal-power' | 'exponential';
export const fadeCurves: readonly FadeCurve[] = ['linear', 'equal-power', 'exponential'];

/** Gain of a fade-in at position x in [0, 1]; a fade-out uses gain(1 - x). */
export function fadeInGain(curve: FadeCurve, x: number): number {
  const t = Math.min(1, Math.max(0, x));
  switch (curve) {
    case 'linear':
      return t;
    case 'equal-power':
      return Math.sin((t * Math.PI) / 2);
    case 'exponential':
      // -60 dB at the start rising to 0 dB, with a true zero at t = 0.
      return t === 0 ? 0 : Math.pow(10, (-60 * (1 - t)) / 20);
  }
}
