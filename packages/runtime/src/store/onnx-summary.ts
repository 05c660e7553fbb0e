/**
 * Reads an ONNX file's graph inputs, outputs and external data files without loading it: a
 * protobuf walk that seeks past nodes and weights, so a 2 GB graph costs a few reads.
 */
import { open } from 'node:fs/promises';
import { onnx, FileCursor, fields, NotOnnx } from '../model-files/index.js';
import type { Dim } from '../pack-format/index.js';

export interface GraphTensor {
  readonly name: string;
  /** float32, float16, int64... or the ONNX type number for a type sa3 has no name for. */
  readonly dtype: string;
  readonly shape: readonly Dim[] | null;
}

export interface OnnxSummary {
  readonly inputs: readonly GraphTensor[];
  readonly outputs: readonly GraphTensor[];
  /** External data locations, relative to the graph's folder. */
  readonly externalFiles: readonly string[];
}

const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  16: 'bfloat16',
};
/** An initializer message this small has no inline weights to speak of; bigger ones are skipped unread. */
const SMALL_TENSOR = 1 << 16;
const ModelField = { graph: 7 } as const;
const GraphField = { initializer: 5, input: 11, output: 12 } as const;

function graphTensor(bytes: Uint8Array): GraphTensor {
  const info = onnx.ValueInfoProto.decode(bytes);
  const tensorType = info.type?.tensorType;
  const elemType = tensorType?.elemType ?? 0;
  const dims = tensorType?.shape?.dim;
  const shape = dims ? dims.map((d): Dim => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? Number(d.dimValue) : '?')) : null;
  return { name: info.name ?? '', dtype: ELEMENT_TYPES[elemType] ?? `onnx type ${elemType}`, shape };
}

/** Null when the file is not an ONNX model. */
export async function readOnnxSummary(path: string): Promise<OnnxSummary | null> {
  const handle = await open(path, 'r');
  try {
    const cursor = new FileCursor(handle, (await handle.stat()).size);
    const inputs: GraphTensor[] = [];
    const outputs: GraphTensor[] = [];
    const externalFiles = new Set<string>();
    let sawGraph = false;
    for await (const field of fields(cursor, 0, cursor.size)) {
      if (field.number !== ModelField.graph || !field.delimited) continue;
      sawGraph = true;
      for await (const part of fields(cursor, field.start, field.end)) {
        if (!part.delimited) continue;
        if (part.number === GraphField.input) inputs.push(graphTensor(await cursor.bytes(part.start, part.end - part.start)));
        else if (part.number === GraphField.output) outputs.push(graphTensor(await cursor.bytes(part.start, part.end - part.start)));
        else if (part.number === GraphField.initializer && part.end - part.start <= SMALL_TENSOR) {
          const tensor = onnx.TensorProto.decode(await cursor.bytes(part.start, part.end - part.start));
          const location =
            tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL ? tensor.externalData?.find((e) => e.key === 'location')?.value : undefined;
          if (location) externalFiles.add(location);
        }
      }
    }
    return sawGraph ? { inputs, outputs, externalFiles: [...externalFiles] } : null;
  } catch (error) {
    if (error instanceof NotOnnx || error instanceof RangeError || (error instanceof Error && /invalid wire type|index out of range/.test(error.message)))
      return null;
    throw error;
  } finally {
    await handle.close();
  }
}
