import { onnx, type OnnxProto } from '../../src/model-files/index.js';

const { FLOAT, INT64, BOOL, UINT8, INT32 } = onnx.TensorProto.DataType;
/** Ops whose outputs have types of their own: each output's type in order. */
const FIXED_OUTPUT_TYPES: Readonly<Record<string, readonly number[]>> = {
  DynamicQuantizeLinear: [UINT8, FLOAT, UINT8],
  MatMulInteger: [INT32],
  DequantizeLinear: [FLOAT],
};
const BOOLEAN_OPS = new Set(['Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'Not', 'And', 'Or']);

/** The element type of every value in a graph whose nodes are in build order (what our builder writes). */
export function valueTypes(graph: OnnxProto.IGraphProto): Map<string, number> {
  const types = new Map<string, number>();
  for (const input of graph.input ?? []) types.set(input.name!, input.type!.tensorType!.elemType!);
  for (const init of graph.initializer ?? []) types.set(init.name!, init.dataType!);
  const attr = (node: OnnxProto.INodeProto, name: string) => node.attribute?.find((a) => a.name === name);
  for (const node of graph.node ?? []) {
    const fixed = FIXED_OUTPUT_TYPES[node.opType!];
    if (fixed) {
      node.output!.forEach((output, i) => types.set(output, fixed[i]!));
      continue;
    }
    let type: number;
    if (node.opType === 'Cast') type = Number(attr(node, 'to')!.i);
    else if (node.opType === 'Constant' || node.opType === 'ConstantOfShape') type = attr(node, 'value')?.t?.dataType ?? FLOAT;
    else if (node.opType === 'Shape' || node.opType === 'Size') type = INT64;
    else if (BOOLEAN_OPS.has(node.opType!)) type = BOOL;
    else if (node.opType === 'Where') type = types.get(node.input![1]!)!;
    else type = types.get(node.input![0]!)!;
    for (const output of node.output ?? []) types.set(output, type);
  }
  return types;
}
