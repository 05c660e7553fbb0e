/** Min/max per column of the first channel, for drawing. */
export interface Peaks {
  readonly min: Float32Array;
  readonly max: Float32Array;
  readonly duration: number;
}

const cache = new Map<string, Promise<Peaks>>();

export function computePeaks(samples: Float32Array, columns: number, duration: number): Peaks {
  const min = new Float32Array(columns);
  const max = new Float32Array(columns);
  const per = Math.max(1, Math.floor(samples.length / columns));
  for (let c = 0; c < columns; c++) {
    let lo = 0;
    let hi = 0;
    const end = Math.min(samples.length, (c + 1) * per);
    for (let i = c * per; i < end; i++) {
      const s = samples[i]!;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
    min[c] = lo;
    max[c] = hi;
  }
  return { min, max, duration };
}

/** Decodes audio once per key (its URL): players of the same output share the work. */
export function loadPeaks(key: string, audio: Blob, columns: number): Promise<Peaks> {
  let peaks = cache.get(key);
  if (!peaks) {
    peaks = (async () => {
      const context = new OfflineAudioContext(1, 1, 44_100);
      const buffer = await context.decodeAudioData(await audio.arrayBuffer());
      return computePeaks(buffer.getChannelData(0), columns, buffer.duration);
    })();
    cache.set(key, peaks);
    peaks.catch(() => cache.delete(key));
  }
  return peaks;
}

export function drawPeaks(canvas: HTMLCanvasElement, peaks: Peaks, color: string): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth * ratio;
  const height = canvas.clientHeight * ratio;
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, width, height);
  g.fillStyle = color;
  const mid = height / 2;
  const columns = peaks.min.length;
  // Quiet audio is drawn taller so its shape stays visible; the caption gives the real level.
  let loudest = 0;
  for (let c = 0; c < columns; c++) loudest = Math.max(loudest, Math.abs(peaks.min[c]!), Math.abs(peaks.max[c]!));
  const gain = 0.95 / Math.max(loudest, 0.02);
  const barWidth = width / columns;
  for (let c = 0; c < columns; c++) {
    const top = mid - peaks.max[c]! * gain * mid;
    const bottom = mid - peaks.min[c]! * gain * mid;
    g.fillRect(c * barWidth, top, Math.max(1, barWidth - 0.5), Math.max(1, bottom - top));
  }
}
