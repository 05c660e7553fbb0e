/** Latents of one clip: [channels, length] channel-major, as the graphs take them with batch 1. */
export interface Latents {
  readonly channels: number;
  readonly length: number;
  readonly data: Float32Array;
}

export function zeroLatents(channels: number, length: number): Latents {
  return { channels, length, data: new Float32Array(channels * length) };
}

/** Columns [from, to) of the latents, zero-padded to `width` columns. */
export function sliceColumns(latents: Latents, from: number, to: number, width = to - from): Latents {
  const out = new Float32Array(latents.channels * width);
  for (let c = 0; c < latents.channels; c++) {
    out.set(latents.data.subarray(c * latents.length + from, c * latents.length + to), c * width);
  }
  return { channels: latents.channels, length: width, data: out };
}

/** Writes columns [from, to) of `source` (whose column 0 sits at `sourceOffset` in the target). */
export function writeColumns(target: Latents, source: Latents, sourceOffset: number, from: number, to: number): void {
  for (let c = 0; c < target.channels; c++) {
    target.data.set(source.data.subarray(c * source.length + (from - sourceOffset), c * source.length + (to - sourceOffset)), c * target.length + from);
  }
}
