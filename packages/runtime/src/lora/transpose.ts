/** Row-major matrix transposes for weights stored as [in, out] (x @ W) while adapters work on [out, in]. */
const TILE = 64;

/** [rows, cols] row-major -> [cols, rows], in tiles so both sides stay in cache. */
export function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        const row = r * cols;
        for (let c = c0; c < c1; c++) out[c * rows + r] = data[row + c]!;
      }
    }
  }
  return out;
}
