/**
 * The checkpoint side of a conversion: tensors read one at a time from model.safetensors, each
 * checked against the shape the config implies before it is used.
 */
import { SafetensorsError, SafetensorsFile } from '../model-files/index.js';
import { ConvertError } from './convert-error.js';

/** The values to convert instead of a tensor as read (or the same array): how merged LoRA weights come in. */
export type WeightAdjuster = (key: string, values: Float32Array, shape: readonly number[]) => Float32Array;

export class Checkpoint {
  private readonly used = new Set<string>();

  private constructor(
    readonly path: string,
    private readonly file: SafetensorsFile,
    private readonly adjust?: WeightAdjuster,
  ) {}

  static async open(path: string, adjust?: WeightAdjuster): Promise<Checkpoint> {
    try {
      return new Checkpoint(path, await SafetensorsFile.open(path), adjust);
    } catch (error) {
      if (error instanceof SafetensorsError) throw new ConvertError('checkpoint_unreadable', error.message);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ConvertError('checkpoint_unreadable', `the checkpoint ${path} does not exist`);
      throw error;
    }
  }

  has(key: string): boolean {
    return this.file.tensors.has(key);
  }

  keys(): IterableIterator<string> {
    return this.file.tensors.keys();
  }

  /** The shape stored for `key`, failing with a sentence naming the tensor when it is absent. */
  shape(key: string): readonly number[] {
    const info = this.file.tensors.get(key);
    if (!info) throw new ConvertError('tensor_missing', `the checkpoint ${this.path} has no tensor "${key}", which the model config needs`);
    return info.shape;
  }

  /** The tensor as float32 (F16/BF16/F64 widened), after checking it has exactly `shape`. */
  async read(key: string, shape: readonly number[]): Promise<Float32Array> {
    const actual = this.shape(key);
    if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
      throw new ConvertError(
        'tensor_shape',
        `the checkpoint tensor "${key}" has shape [${actual.join(', ')}], but the model config implies [${shape.join(', ')}]`,
      );
    }
    this.used.add(key);
    const values = await this.file.readFloat32(key);
    return this.adjust ? this.adjust(key, values, actual) : values;
  }

  /** Keys read so far. */
  get usedKeys(): ReadonlySet<string> {
    return this.used;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
