/**
 * Published SAME decoders carry the official bottleneck noise (randn · running_std · 1e-3, and
 * the learned-token mask noise) as RandomNormalLike ops, so ONNX Runtime would decode the same
 * latents differently on every run. As the official TensorRT and MLX runtimes do, sa3 drops
 * that noise: each random op becomes zeros of its shape and type, and the graph is rewritten.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../files/index.js';
import { onnx, type OnnxProto, walkGraphParts } from '../model-files/index.js';

const RANDOM_LIKE = new Set(['RandomNormalLike', 'RandomUniformLike']);
const RANDOM = new Set(['RandomNormal', 'RandomUniform']);
const GraphField = { node: 1 } as const;
/** Random op messages are small; bigger node messages (constants holding weights) are skipped unread. */
const SMALL_MESSAGE = 1 << 12;

/** Whether the graph has a random op, found without reading its weights. */
async function hasRandomOps(path: string): Promise<boolean> {
  let found = false;
  await walkGraphParts(path, SMALL_MESSAGE, (field, bytes) => {
    if (field !== GraphField.node) return false;
    const { opType } = onnx.NodeProto.decode(bytes);
    found = RANDOM_LIKE.has(opType) || RANDOM.has(opType);
    return found;
  });
  return found;
}

function attribute(node: OnnxProto.INodeProto, name: string): OnnxProto.IAttributeProto | undefined {
  return node.attribute?.find((a) => a.name === name);
}

/** Bytes of one element by ONNX data type, where it is not 4. */
const ELEMENT_BYTES = new Map<number, number>([
  [onnx.TensorProto.DataType.DOUBLE, 8],
  [onnx.TensorProto.DataType.FLOAT16, 2],
]);

function zeroTensor(dataType: number): OnnxProto.ITensorProto {
  return { dims: [1], dataType, rawData: new Uint8Array(ELEMENT_BYTES.get(dataType) ?? 4) };
}

/** The nodes that replace one random op: zeros of its output's shape and type. */
function zerosFor(node: OnnxProto.INodeProto): OnnxProto.INodeProto[] {
  const out = node.output![0]!;
  const name = node.name || out;
  const dtype: unknown = attribute(node, 'dtype')?.i;
  if (RANDOM_LIKE.has(node.opType!)) {
    const input = node.input![0]!;
    // Without a dtype attribute the output has the input's type: input - input is zero in it.
    if (dtype === undefined || dtype === null) return [{ opType: 'Sub', name: `${name}/zeros`, input: [input, input], output: [out] }];
    return [
      { opType: 'Shape', name: `${name}/shape`, input: [input], output: [`${out}/shape`] },
      {
        opType: 'ConstantOfShape',
        name: `${name}/zeros`,
        input: [`${out}/shape`],
        output: [out],
        attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: zeroTensor(Number(dtype)) }],
      },
    ];
  }
  const shape = (attribute(node, 'shape')?.ints ?? []).map(Number);
  const shapeTensor: OnnxProto.ITensorProto = {
    dims: [shape.length],
    dataType: onnx.TensorProto.DataType.INT64,
    rawData: new Uint8Array(BigInt64Array.from(shape, BigInt).buffer),
  };
  return [
    {
      opType: 'Constant',
      name: `${name}/shape`,
      output: [`${out}/shape`],
      attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: shapeTensor }],
    },
    {
      opType: 'ConstantOfShape',
      name: `${name}/zeros`,
      input: [`${out}/shape`],
      output: [out],
      attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: zeroTensor(Number(dtype ?? onnx.TensorProto.DataType.FLOAT)) }],
    },
  ];
}

/** Rewrites the graph at `path` without its random ops; returns how many it replaced (0: file untouched). */
export async function removeRandomNoise(path: string): Promise<number> {
  if (!(await hasRandomOps(path))) return 0;
  const model = onnx.ModelProto.decode(await readFile(path));
  let replaced = 0;
  const nodes = (model.graph?.node ?? []).flatMap((node) => {
    if (!RANDOM_LIKE.has(node.opType ?? '') && !RANDOM.has(node.opType ?? '')) return [node];
    replaced++;
    return zerosFor(node).map((n) => onnx.NodeProto.create(n));
  });
  model.graph!.node = nodes;
  await writeFileAtomic(path, onnx.ModelProto.encode(model).finish());
  return replaced;
}
