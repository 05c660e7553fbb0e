/**
 * Writes a copy of a converted DiT graph whose adapted weights are the stack's merged weights:
 * one initializer at a time, so the merge holds one layer (base, merged) beside the graph, never
 * a second DiT. Unchanged external weights are copied byte for byte into the new data file.
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXTERNAL_DATA_ALIGNMENT, encodeModel, onnx, toHalfBits, type OnnxProto } from '../model-files/index.js';
import type { LowRankProduct } from './apply-adapter.js';
import type { LoraStack } from './lora-stack.js';
import type { OnnxDitWeights } from './onnx-dit-weights.js';

export interface MergedDitFiles {
  readonly modelFile: string;
  readonly dataFile: string;
  /** How many weights the stack changed. */
  readonly merged: number;
}

export interface MergeOptions {
  /** Computes the low-rank products (ONNX Runtime's MatMul in the engine); JavaScript float64 sums without it. */
  readonly multiply?: LowRankProduct;
}

export async function writeMergedDit(
  weights: OnnxDitWeights,
  stack: LoraStack,
  outDir: string,
  modelFile = 'dit.onnx',
  options: MergeOptions = {},
): Promise<MergedDitFiles> {
  const adapted = new Set(stack.adaptedKeys);
  const dataFile = `${modelFile}.data`;
  const handle = await open(join(outDir, dataFile), 'w');
  let offset = 0;
  let merged = 0;
  const initializers: OnnxProto.ITensorProto[] = [];
  try {
    const append = async (bytes: Uint8Array): Promise<number> => {
      offset = Math.ceil(offset / EXTERNAL_DATA_ALIGNMENT) * EXTERNAL_DATA_ALIGNMENT;
      const at = offset;
      for (let done = 0; done < bytes.byteLength;) {
        const { bytesWritten } = await handle.write(bytes, done, Math.min(bytes.byteLength - done, 1 << 30), at + done);
        done += bytesWritten;
      }
      offset += bytes.byteLength;
      return at;
    };
    for (const proto of weights.model.graph!.initializer ?? []) {
      const name = proto.name ?? '';
      const weight = adapted.has(name) ? weights.initializer(name) : undefined;
      let bytes: Uint8Array | undefined;
      if (weight) {
        const values = await weights.readStored(name);
        const transposed = weight.layout === 'transposed';
        const stored = options.multiply
          ? await stack.mergeStoredWith(name, values, weight.shape, transposed, options.multiply)
          : stack.mergeStored(name, values, weight.shape, transposed);
        bytes = weight.dtype === 'float16' ? asBytes(toHalfBits(stored)) : asBytes(stored);
        merged++;
      } else if (proto.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
        bytes = await weights.storedBytes(proto);
      }
      if (!bytes) {
        initializers.push(proto);
        continue;
      }
      const at = await append(bytes);
      initializers.push({
        name,
        dims: proto.dims,
        dataType: proto.dataType,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: dataFile },
          { key: 'offset', value: String(at) },
          { key: 'length', value: String(bytes.byteLength) },
        ],
      });
    }
  } finally {
    await handle.close();
  }
  const model = onnx.ModelProto.create({ ...weights.model, graph: onnx.GraphProto.create({ ...weights.model.graph, initializer: initializers }) });
  await writeFile(join(outDir, modelFile), encodeModel(model));
  return { modelFile, dataFile, merged };
}

function asBytes(data: Float32Array | Uint16Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
