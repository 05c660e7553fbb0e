/**
 * Volumes (0..1) that play two takes at the same loudness: the quieter at full volume, the
 * louder turned down by the difference of their levels (in dB: LUFS, or RMS).
 */
export function matchedVolumes(levelA: number, levelB: number): [number, number] {
  const quieter = Math.min(levelA, levelB);
  return [Math.pow(10, (quieter - levelA) / 20), Math.pow(10, (quieter - levelB) / 20)];
}

/** A volume as the gain it applies, e.g. "-3.5 dB" (never "-0.0 dB"). */
export function gainText(volume: number): string {
  const db = 20 * Math.log10(volume);
  return `${Math.abs(db) < 0.05 ? '0.0' : db.toFixed(1)} dB`;
}
