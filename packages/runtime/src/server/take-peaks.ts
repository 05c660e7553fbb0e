import type { AudioClip } from '@sa3/nodes';

/** How many [min, max] columns a take's waveform has: enough for a list row, small enough to send with every take. */
export const TAKE_PEAK_COLUMNS = 256;

/** The waveform of a clip as `columns` [min, max] pairs of its mono mix (fewer when it has fewer frames), rounded to 4 decimals. */
export function takePeaks(clip: AudioClip, columns = TAKE_PEAK_COLUMNS): [number, number][] {
  const frames = clip.channels[0]?.length ?? 0;
  const count = Math.min(columns, frames);
  const peaks: [number, number][] = [];
  const round = (x: number): number => Math.round(x * 10_000) / 10_000;
  for (let c = 0; c < count; c++) {
    const start = Math.floor((c * frames) / count);
    const end = Math.floor(((c + 1) * frames) / count);
    let min = Infinity;
    let max = -Infinity;
    for (let i = start; i < end; i++) {
      let sum = 0;
      for (const channel of clip.channels) sum += channel[i]!;
      const mono = sum / clip.channels.length;
      if (mono < min) min = mono;
      if (mono > max) max = mono;
    }
    peaks.push([round(min), round(max)]);
  }
  return peaks;
}
