/**
 * A Linear as a dynamically quantized MatMul, in standard ONNX ops:
 *   xq, xScale, xZero = DynamicQuantizeLinear(x)          uint8 activations, one scale per call
 *   y = Cast(MatMulInteger(xq, wq, xZero)) · (xScale · wScale)   int8 weights, one scale per column
 * ONNX Runtime's CPU provider fuses this chain into its DynamicQuantizeMatMul kernel at graph
 * optimization level "extended" and above (the engine opens sessions at "all"); measured here at
 * [452 x 1536] x [1536 x 6144] x [6144 x 1536], the fused chain and a hand-written
 * com.microsoft DynamicQuantizeMatMul ran alike (about 9 ms against 70 ms in float32 on two
 * cores), so the graph keeps to the standard domain and stays portable.
 *
 * A two-pass Linear also quantizes what the first pass lost, x - dequantized(xq), and adds its
 * product through the same int8 weights: 16 bits of activation resolution for one more int8
 * MatMul, for inputs whose heavy tails leave one uint8 scale too coarse (see quantize-int8.ts).
 */
import type { GraphBuilder, Value } from './graph/index.js';
import { quantizeColumns, type Int8Mode } from './quantize-int8.js';
import type { WeightStore } from './weight-store.js';

/**
 * x [..., inDim] -> [..., outDim] through the transposed weight `wt` ([inDim, outDim], float32),
 * stored as `<key>.weight_int8` and `<key>.weight_scale`; `bias` [outDim] is added in float32.
 */
export async function int8MatMul(
  { g, store }: { readonly g: GraphBuilder; readonly store: WeightStore },
  x: Value,
  key: string,
  wt: Float32Array,
  inDim: number,
  outDim: number,
  mode: Int8Mode,
  bias?: Value,
): Promise<Value> {
  const { values, scales } = quantizeColumns(wt, inDim, outDim);
  const wq = await store.addTensor(`${key}.weight_int8`, values, [inDim, outDim], 'int8');
  const wScale = await store.addTensor(`${key}.weight_scale`, scales, [outDim], 'float32');
  const pass = (input: Value) => {
    const [xq, xScale, xZero] = g.opMulti('DynamicQuantizeLinear', [input], ['uint8', 'float32', 'uint8']); // [..., inDim], [], []
    const accumulated = g.op('MatMulInteger', [xq!, wq, xZero!], 'int32'); // [..., outDim]
    return { xq: xq!, xScale: xScale!, xZero: xZero!, y: g.mul(g.cast(accumulated, 'float32'), g.mul(xScale!, wScale)) }; // [..., outDim]
  };
  const first = pass(x);
  let y = first.y;
  if (mode === 'two-pass') {
    const lost = g.sub(x, g.op('DequantizeLinear', [first.xq, first.xScale, first.xZero], 'float32')); // [..., inDim]
    y = g.add(y, pass(lost).y); // [..., outDim]
  }
  return bias ? g.add(y, bias) : y;
}

/**
 * A Linear whose output is used as separate column blocks (a fused qkv, a GLU's value and gate):
 * one DynamicQuantizeLinear of x, then one MatMulInteger per block with that block's int8 columns,
 * stored as `<key>.weight_int8_part<i>` and `<key>.weight_scale_part<i>`. Per-column scales make
 * each block's result identical to the same columns of the unsplit product, without the Split
 * that would copy them out of it. Single pass only.
 */
export async function int8SplitMatMul(
  { g, store }: { readonly g: GraphBuilder; readonly store: WeightStore },
  x: Value,
  key: string,
  wt: Float32Array,
  inDim: number,
  parts: readonly number[],
  bias?: Float32Array,
): Promise<Value[]> {
  const outDim = parts.reduce((a, b) => a + b, 0);
  const { values, scales } = quantizeColumns(wt, inDim, outDim);
  const [xq, xScale, xZero] = g.opMulti('DynamicQuantizeLinear', [x], ['uint8', 'float32', 'uint8']); // [..., inDim], [], []
  const outputs: Value[] = [];
  let first = 0;
  for (const [i, width] of parts.entries()) {
    const block = new Int8Array(inDim * width);
    for (let r = 0; r < inDim; r++) block.set(values.subarray(r * outDim + first, r * outDim + first + width), r * width);
    const wq = await store.addTensor(`${key}.weight_int8_part${i}`, block, [inDim, width], 'int8');
    const wScale = await store.addTensor(`${key}.weight_scale_part${i}`, scales.slice(first, first + width), [width], 'float32');
    const accumulated = g.op('MatMulInteger', [xq!, wq, xZero!], 'int32'); // [..., width]
    const y = g.mul(g.cast(accumulated, 'float32'), g.mul(xScale!, wScale)); // [..., width]
    outputs.push(bias ? g.add(y, await store.addTensor(`${key}.bias_part${i}`, bias.slice(first, first + width), [width], 'float32')) : y);
    first += width;
  }
  return outputs;
}
