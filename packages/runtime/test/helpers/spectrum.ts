/** The strongest frequency in a signal: Hann-windowed FFT of a power-of-two window, peak refined by parabolic interpolation. */
export function dominantFrequency(samples: Float32Array, sampleRate: number): number {
  let size = 1;
  while (size * 2 <= Math.min(samples.length, 1 << 15)) size *= 2;
  const start = Math.floor((samples.length - size) / 2);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let i = 0; i < size; i++) re[i] = samples[start + i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1)));
  fft(re, im);
  const magnitude = (k: number) => Math.hypot(re[k]!, im[k]!);
  let best = 1;
  for (let k = 2; k < size / 2; k++) if (magnitude(k) > magnitude(best)) best = k;
  const [a, b, c] = [magnitude(best - 1), magnitude(best), magnitude(best + 1)];
  const offset = (0.5 * (a - c)) / (a - 2 * b + c || 1);
  return ((best + offset) * sampleRate) / size;
}

/** In-place iterative radix-2 FFT. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * wr - im[b]! * wi;
        const ti = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

export function peak(samples: Float32Array): number {
  let max = 0;
  for (const s of samples) max = Math.max(max, Math.abs(s));
  return max;
}
