/**
 * Initializers written as they are produced: each weight goes to `<file>.data` (4096-aligned,
 * as ORT memory-maps it) the moment the converter has it, so a conversion never holds more
 * than one checkpoint tensor. Weights at or under the threshold stay inline in the model.
 */
import { open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { FloatPrecision, GraphCore, Value } from './graph/index.js';
import {
  toHalfBits,
  encodeModel,
  EXTERNAL_DATA_ALIGNMENT,
  DEFAULT_EXTERNAL_THRESHOLD_BYTES,
  type SavedModel,
  type OnnxProto,
  externalTensorProto,
  makeTensorValue,
  tensorBytes,
  tensorProto,
  type OnnxDtype,
  type TensorData,
} from '../model-files/index.js';
import { ConvertError } from './convert-error.js';

export interface WeightStoreOptions {
  /** Initializers bigger than this go to external data; the ONNX default of 1024 bytes unless set. */
  readonly externalDataThresholdBytes?: number;
}

const FLOAT16_MAX = 65504;

export class WeightStore {
  private handle: FileHandle | undefined;
  private offset = 0;
  private readonly protos: OnnxProto.ITensorProto[] = [];
  private readonly names = new Set<string>();
  private readonly threshold: number;

  /** `widthOf` says at each add() whether the weight is stored as float32 or float16. */
  constructor(
    readonly dir: string,
    readonly fileName: string,
    options: WeightStoreOptions = {},
    private readonly widthOf: () => FloatPrecision = () => 'float32',
  ) {
    this.threshold = options.externalDataThresholdBytes ?? DEFAULT_EXTERNAL_THRESHOLD_BYTES;
  }

  get dataFile(): string {
    return `${this.fileName}.data`;
  }

  /** Stores a weight (given as float32) in the current width and returns the graph value that names it. */
  async add(name: string, values: Float32Array, dims: readonly number[]): Promise<Value> {
    const dtype = this.widthOf();
    return this.addTensor(name, dtype === 'float16' ? toFloat16(name, values) : values, dims, dtype);
  }

  /** Stores a weight exactly as given, whatever the current width (int8 weights and their float32 scales). */
  async addTensor(name: string, data: TensorData, dims: readonly number[], dtype: OnnxDtype): Promise<Value> {
    if (this.names.has(name)) throw new RangeError(`the weight "${name}" was stored twice`);
    this.names.add(name);
    const tensor = makeTensorValue(data, dims, dtype, `weight "${name}"`);
    if (data.byteLength <= this.threshold) {
      this.protos.push(tensorProto(name, tensor));
      return { name, dtype };
    }
    if (!this.handle) {
      await rm(join(this.dir, this.dataFile), { force: true });
      this.handle = await open(join(this.dir, this.dataFile), 'w');
    }
    this.offset = Math.ceil(this.offset / EXTERNAL_DATA_ALIGNMENT) * EXTERNAL_DATA_ALIGNMENT;
    const bytes = tensorBytes(data);
    for (let done = 0; done < bytes.byteLength;) {
      const { bytesWritten } = await this.handle.write(bytes, done, Math.min(bytes.byteLength - done, 1 << 30), this.offset + done);
      done += bytesWritten;
    }
    this.protos.push(externalTensorProto(name, tensor, this.dataFile, this.offset, bytes.byteLength));
    this.offset += bytes.byteLength;
    return { name, dtype };
  }

  /** Writes the model file around the graph; the graph must hold no initializers of its own. */
  async finish(g: GraphCore): Promise<SavedModel> {
    const external = this.handle !== undefined;
    await this.handle?.close();
    this.handle = undefined;
    if (!external) await rm(join(this.dir, this.dataFile), { force: true });
    await writeFile(join(this.dir, this.fileName), encodeModel(g.modelProto(this.protos)));
    return external
      ? { modelFile: this.fileName, externalDataFile: this.dataFile, files: [this.fileName, this.dataFile] }
      : { modelFile: this.fileName, files: [this.fileName] };
  }

  /** After a failed conversion: closes and deletes the data file, and writes no model. */
  async discard(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    await rm(join(this.dir, this.dataFile), { force: true });
  }
}

function toFloat16(name: string, values: Float32Array): Uint16Array {
  for (const v of values) {
    if (Math.abs(v) > FLOAT16_MAX)
      throw new ConvertError(
        'tensor_out_of_range',
        `the tensor "${name}" holds ${v}, beyond float16's range of ±${FLOAT16_MAX}; convert with --precision fp32`,
      );
  }
  return toHalfBits(values);
}
