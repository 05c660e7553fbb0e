import { open, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { onnx, type OnnxProto } from './onnx-proto.js';
import { externalTensorProto, tensorBytes, tensorProto, type TensorValue } from './onnx-tensor.js';

/** Protobuf messages cannot exceed 2 GiB; bigger models must keep their weights in external data. */
export const PROTOBUF_LIMIT_BYTES = 2 ** 31 - 1;
/** What onnx.save_model(save_as_external_data=True) uses as its size threshold. */
export const DEFAULT_EXTERNAL_THRESHOLD_BYTES = 1024;
/** External tensors start on page boundaries so ORT can memory-map them. */
export const EXTERNAL_DATA_ALIGNMENT = 4096;

export interface SaveOptions {
  /**
   * Initializers bigger than this many bytes go to `<fileName>.data`. Without it everything is
   * inline, unless the weights pass 1 GiB (half the protobuf limit): then the ONNX default of
   * 1024 bytes applies.
   */
  readonly externalDataThresholdBytes?: number;
}

export interface SavedModel {
  /** The model file and, when any initializer went external, its data file; names relative to the folder. */
  readonly modelFile: string;
  readonly externalDataFile?: string;
  readonly files: readonly string[];
}

export type NamedTensor = readonly [name: string, tensor: TensorValue];

export function encodeModel(model: OnnxProto.IModelProto): Uint8Array {
  const bytes = onnx.ModelProto.encode(model).finish();
  if (bytes.byteLength > PROTOBUF_LIMIT_BYTES)
    throw new RangeError(`the model is ${bytes.byteLength} bytes, over the 2 GiB protobuf limit: save it with external data`);
  return bytes;
}

export function inlineBytes(tensors: readonly NamedTensor[]): number {
  return tensors.reduce((sum, [, t]) => sum + t.data.byteLength, 0);
}

function alignUp(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

/**
 * Writes `<fileName>.data` with every initializer over the threshold (each at a 4096-aligned
 * offset) and `<fileName>` with the graph and the small initializers inline.
 */
export async function saveModel(
  dir: string,
  fileName: string,
  tensors: readonly NamedTensor[],
  buildModel: (initializers: OnnxProto.ITensorProto[]) => OnnxProto.IModelProto,
  options: SaveOptions = {},
): Promise<SavedModel> {
  let threshold = options.externalDataThresholdBytes;
  if (threshold === undefined && inlineBytes(tensors) > PROTOBUF_LIMIT_BYTES / 2) threshold = DEFAULT_EXTERNAL_THRESHOLD_BYTES;
  const external = threshold === undefined ? [] : tensors.filter(([, t]) => t.data.byteLength > threshold);
  const dataFile = `${fileName}.data`;
  const protos = new Map<string, OnnxProto.ITensorProto>();
  const dataPath = join(dir, dataFile);
  await rm(dataPath, { force: true });
  if (external.length > 0) {
    const handle = await open(dataPath, 'w');
    try {
      let offset = 0;
      for (const [name, tensor] of external) {
        offset = alignUp(offset, EXTERNAL_DATA_ALIGNMENT);
        const bytes = tensorBytes(tensor.data);
        // Large tensors may exceed what one write call takes; write them in slices.
        for (let done = 0; done < bytes.byteLength;) {
          const { bytesWritten } = await handle.write(bytes, done, Math.min(bytes.byteLength - done, 1 << 30), offset + done);
          done += bytesWritten;
        }
        protos.set(name, externalTensorProto(name, tensor, dataFile, offset, bytes.byteLength));
        offset += bytes.byteLength;
      }
    } finally {
      await handle.close();
    }
  }
  const initializers = tensors.map(([name, tensor]) => protos.get(name) ?? tensorProto(name, tensor));
  await writeFile(join(dir, fileName), encodeModel(buildModel(initializers)));
  return external.length > 0 ? { modelFile: fileName, externalDataFile: dataFile, files: [fileName, dataFile] } : { modelFile: fileName, files: [fileName] };
}
