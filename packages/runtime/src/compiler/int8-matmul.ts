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
