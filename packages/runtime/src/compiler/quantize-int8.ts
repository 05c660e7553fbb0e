/**
 * The int8 precision: which Linears of the DiT, the T5Gemma encoder and the SAME decoder run as dynamically
 * quantized MatMuls, and how their weights are quantized.
 *
 * Weights: int8, symmetric, one scale per output channel (scale = max |w| / 127 over the
 * channel), so a channel of small weights keeps its resolution beside a channel of large ones.
 * Activations: uint8 with a scale and zero point computed per call over the whole tensor
 * (DynamicQuantizeLinear), so nothing needs calibrating; in the DiT and the text encoder the output
 * projections of attention and of the feed-forward take a second pass over what the first lost. Everything else stays float32: norms,
 * softmax and the attention scores, RoPE, the time features, the conditioning MLPs (including
 * the DiT's per-block local-add MLP and the prompt projection), the input and output
 * projections of the DiT and the residual stream.
 */

/** The largest magnitude of a symmetric int8 value (-128 is left unused, so -w quantizes to -q). */
const INT8_MAX = 127;

/** The DiT's transformer-block Linears that run in int8: attention projections and the feed-forward. */
const DIT_INT8_LINEAR = /^model\.model\.transformer\.layers\.\d+\.(self_attn\.(to_qkv|to_out)|cross_attn\.(to_q|to_kv|to_out)|ff\.ff\.(0\.proj|2))$/;

/** The T5Gemma encoder layers' Linears that run in int8: q, k, v, o and the GeGLU MLP. */
const T5GEMMA_INT8_LINEAR = /^(model\.)?encoder\.layers\.\d+\.(self_attn\.(q_proj|k_proj|v_proj|o_proj)|mlp\.(gate_proj|up_proj|down_proj))$/;

/**
 * The Linears that run two-pass (int8-matmul.ts): the output projections of attention and of the
 * feed-forward. The feed-forward's input there, value · SiLU(gate) (GELU(gate) · up in T5Gemma),
 * has heavy tails, so one uint8 scale over it is coarse. Measured at medium's width (6 of 24
 * random-weight blocks, L = 388), one step's velocity cosine against fp32: 0.99904 all single
 * pass; 0.99962 with ff.2 two-pass (0.99963 with it in float32); 0.99978 with the attention
 * output projections two-pass too; 0.99988 with every Linear two-pass.
 */
const DIT_TWO_PASS_LINEAR = /\.(ff\.ff\.2|to_out)$/;
const T5GEMMA_TWO_PASS_LINEAR = /\.(mlp\.down_proj|self_attn\.o_proj)$/;

/**
 * The SAME decoder's transformer Linears (qkv, attention output, GLU feed-forward), int8 in int8
 * packs; its differential attention (both softmax branches and their difference) stays float32
 * as everywhere. Kept because it meets the codec bar, decode SNR >= 30 dB against float32: on a
 * real-shaped SAME-S (random weights, 128 latents) 59.8 dB with two-pass output projections,
 * decoding in 0.31 of float32's time (test/bench/real-shaped.mjs measures it per family). The encoder, which only edits and
 * inpaints use, stays float32.
 */
const SAME_DECODER_INT8_LINEAR = /^pretransform\.model\.decoder\.layers\.3\.transformers\.\d+\.(self_attn\.(to_qkv|to_out)|ff\.ff\.(0\.proj|2))$/;

/** single: one uint8 pass over the activations; two-pass: a second pass over what the first lost. */
export type Int8Mode = 'single' | 'two-pass';

/** How a graph quantizes the Linear of a checkpoint key (without ".weight"): undefined keeps it float32. */
export type Int8Selection = (linearKey: string) => Int8Mode | undefined;

export const ditInt8Linears: Int8Selection = (key) => (DIT_INT8_LINEAR.test(key) ? (DIT_TWO_PASS_LINEAR.test(key) ? 'two-pass' : 'single') : undefined);
export const t5GemmaInt8Linears: Int8Selection = (key) =>
  T5GEMMA_INT8_LINEAR.test(key) ? (T5GEMMA_TWO_PASS_LINEAR.test(key) ? 'two-pass' : 'single') : undefined;

/**
 * All single pass: the decoder's margin over its bar is wide, and a second pass on its output
 * projections bought SNR it does not need (real-shaped SAME-S of 4 blocks, random weights, 128
 * latents: 62.8 dB two-pass, 55.9 dB single pass, which decodes in 0.86 of the two-pass time).
 */
export const sameDecoderInt8Linears: Int8Selection = (key) => (SAME_DECODER_INT8_LINEAR.test(key) ? 'single' : undefined);

export interface QuantizedMatrix {
  /** [rows, cols] row-major, int8. */
  readonly values: Int8Array;
  /** [cols]: column c of the matrix is values[·, c] · scales[c]. */
  readonly scales: Float32Array;
}

/**
 * Quantizes the [rows, cols] row-major matrix `w` (a transposed nn.Linear weight: rows = inputs,
 * cols = outputs) per column, symmetrically. An all-zero column gets scale 1 and zeros.
 */
export function quantizeColumns(w: Float32Array, rows: number, cols: number): QuantizedMatrix {
  if (w.length !== rows * cols) throw new RangeError(`a ${rows} x ${cols} matrix has ${rows * cols} values, not ${w.length}`);
  const scales = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) scales[c] = Math.max(scales[c]!, Math.abs(w[row + c]!));
  }
  for (let c = 0; c < cols; c++) {
    const max = scales[c]!;
    if (!Number.isFinite(max)) throw new RangeError(`column ${c} holds a value that is not finite`);
    scales[c] = max > 0 ? Math.fround(max / INT8_MAX) : 1;
  }
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let c = 0; c < cols; c++) values[row + c] = Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(w[row + c]! / scales[c]!)));
  }
  return { values, scales };
}
