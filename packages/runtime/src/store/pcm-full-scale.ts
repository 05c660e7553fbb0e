/**
 * The full scale of a decoder's int32 "pcm" output, read from the graph: the PCM-baked SAME-S
 * decoder ends in clamp -> multiply by a constant -> cast to int32 (-> layout ops), and that
 * constant is what 1.0 becomes. Nodes are read one at a time; weights are skipped unread.
 */
import { onnx, type OnnxProto, halfToFloat, walkGraphParts } from '../model-files/index.js';

const GraphField = { node: 1, initializer: 5 } as const;
/** Node and initializer messages above this are weights, not the scalars looked for. */
const SMALL_MESSAGE = 1 << 12;
/** Ops between the multiply and the output that keep the scale: layout, rounding, clamping, the cast. */
const KEEPS_SCALE = new Set(['Cast', 'Transpose', 'Reshape', 'Identity', 'Squeeze', 'Unsqueeze', 'Round', 'Floor', 'Clip', 'Min', 'Max']);
const MAX_HOPS = 16;

function scalarOf(tensor: OnnxProto.ITensorProto | null | undefined): number | undefined {
  if (!tensor) return undefined;
  const count = (tensor.dims ?? []).reduce((n: number, d) => n * Number(d), 1);
  if (count !== 1) return undefined;
  if (tensor.floatData?.length) return tensor.floatData[0];
  if (tensor.doubleData?.length) return tensor.doubleData[0];
  if (tensor.int32Data?.length) return tensor.int32Data[0];
  const raw = tensor.rawData;
  if (!raw || raw.length === 0) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (tensor.dataType) {
    case onnx.TensorProto.DataType.FLOAT:
      return view.getFloat32(0, true);
    case onnx.TensorProto.DataType.DOUBLE:
      return view.getFloat64(0, true);
    case onnx.TensorProto.DataType.INT32:
      return view.getInt32(0, true);
    case onnx.TensorProto.DataType.INT64:
      return Number(view.getBigInt64(0, true));
    case onnx.TensorProto.DataType.FLOAT16:
      return halfToFloat(view.getUint16(0, true));
    default:
      return undefined;
  }
}

/** The multiplier behind `outputName`, or null when the graph does not end in a constant multiply. */
export async function readPcmFullScale(path: string, outputName: string): Promise<number | null> {
  const producers = new Map<string, OnnxProto.NodeProto>();
  const scalars = new Map<string, number>();
  const isOnnx = await walkGraphParts(path, SMALL_MESSAGE, (field, bytes) => {
    if (field === GraphField.node) {
      const node = onnx.NodeProto.decode(bytes);
      for (const output of node.output) producers.set(output, node);
      const value = node.opType === 'Constant' ? scalarOf(node.attribute.find((a) => a.name === 'value')?.t) : undefined;
      if (value !== undefined) scalars.set(node.output[0]!, value);
    } else if (field === GraphField.initializer) {
      const tensor = onnx.TensorProto.decode(bytes);
      const value = scalarOf(tensor);
      if (value !== undefined && tensor.name) scalars.set(tensor.name, value);
    }
  });
  if (!isOnnx) return null;
  let name = outputName;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const node = producers.get(name);
    if (!node) return null;
    if (node.opType === 'Mul') {
      const scale = node.input.map((i) => scalars.get(i)).find((v) => v !== undefined);
      return scale !== undefined && Number.isFinite(scale) && scale > 0 ? scale : null;
    }
    if (!KEEPS_SCALE.has(node.opType) || !node.input[0]) return null;
    name = node.input[0];
  }
  return null;
}
