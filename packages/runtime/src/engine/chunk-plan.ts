/**
 * Chunk starts for the official chunked encode/decode: chunks of `chunk` latents every
 * `chunk - overlap`, the last one right-anchored at `length - chunk` (225 latents, chunk 128,
 * overlap 32 -> starts 0, 96, 97). Each chunk keeps its interior: it drops overlap/2 latents at
 * every edge that touches another chunk, and a later chunk overwrites an earlier one.
 */
export interface ChunkSpan {
  readonly start: number;
  /** Latents [keepFrom, keepTo) of the whole sequence that this chunk writes. */
  readonly keepFrom: number;
  readonly keepTo: number;
}

export function planChunks(length: number, chunk: number, overlap: number): ChunkSpan[] {
  if (length <= chunk) return [{ start: 0, keepFrom: 0, keepTo: length }];
  const hop = chunk - overlap;
  const starts: number[] = [];
  for (let start = 0; start + chunk < length; start += hop) starts.push(start);
  starts.push(length - chunk);
  const trim = Math.floor(overlap / 2);
  return starts.map((start, i) => ({
    start,
    keepFrom: i === 0 ? start : start + trim,
    keepTo: i === starts.length - 1 ? start + chunk : start + chunk - trim,
  }));
}
