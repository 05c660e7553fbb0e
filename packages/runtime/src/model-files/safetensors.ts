import { open, stat, type FileHandle } from 'node:fs/promises';

export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export interface TensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Byte range inside the data section (after the header). */
  readonly begin: number;
  readonly end: number;
}

const bytesPerElement: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/**
 * A safetensors file opened for reading one tensor at a time: only the header is held in
 * memory, so a 9 GB checkpoint can be walked in bounded memory.
 */
export class SafetensorsFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly dataOffset: number,
    readonly tensors: ReadonlyMap<string, TensorInfo>,
    readonly metadata: Readonly<Record<string, string>>,
  ) {}

  static async open(path: string): Promise<SafetensorsFile> {
    const size = (await stat(path)).size;
    const handle = await open(path, 'r');
    try {
      if (size < 8) throw new SafetensorsError(`${path} is ${size} bytes, too short for a safetensors header`);
      const lengthBytes = Buffer.alloc(8);
      await handle.read(lengthBytes, 0, 8, 0);
      const headerLength = Number(lengthBytes.readBigUInt64LE(0));
      if (headerLength > size - 8 || headerLength > 100 * 1024 * 1024)
        throw new SafetensorsError(`${path} declares a ${headerLength}-byte header but is only ${size} bytes long: the file is truncated or not safetensors`);
      const headerBytes = Buffer.alloc(headerLength);
      await handle.read(headerBytes, 0, headerLength, 8);
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(headerBytes.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new SafetensorsError(`${path} has a header that is not valid JSON: not a safetensors file`);
      }
      const dataOffset = 8 + headerLength;
      const tensors = new Map<string, TensorInfo>();
      let metadata: Record<string, string> = {};
      for (const [name, entry] of Object.entries(header)) {
        if (name === '__metadata__') {
          metadata = entry as Record<string, string>;
          continue;
        }
        const { dtype, shape, data_offsets: offsets } = entry as { dtype: SafetensorsDtype; shape: number[]; data_offsets: [number, number] };
        if (!(dtype in bytesPerElement)) throw new SafetensorsError(`${path}: tensor "${name}" has the unsupported dtype ${dtype}`);
        const expected = shape.reduce((a, b) => a * b, 1) * bytesPerElement[dtype];
        if (offsets[1] - offsets[0] !== expected)
          throw new SafetensorsError(
            `${path}: tensor "${name}" spans ${offsets[1] - offsets[0]} bytes but its shape [${shape.join(', ')}] of ${dtype} needs ${expected}`,
          );
        if (dataOffset + offsets[1] > size)
          throw new SafetensorsError(`${path} is truncated: tensor "${name}" ends at byte ${dataOffset + offsets[1]} of a ${size}-byte file`);
        tensors.set(name, { name, dtype, shape, begin: offsets[0], end: offsets[1] });
      }
      return new SafetensorsFile(path, handle, dataOffset, tensors, metadata);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  info(name: string): TensorInfo {
    const info = this.tensors.get(name);
    if (!info) throw new SafetensorsError(`${this.path} has no tensor "${name}"`);
    return info;
  }

  async readBytes(name: string): Promise<Uint8Array> {
    const info = this.info(name);
    const bytes = new Uint8Array(info.end - info.begin);
    if (bytes.byteLength > 0) await this.handle.read(bytes, 0, bytes.byteLength, this.dataOffset + info.begin);
    return bytes;
  }

  /** The tensor as float32, converting F16, BF16 and F64 on the way. */
  async readFloat32(name: string): Promise<Float32Array> {
    const info = this.info(name);
    return toFloat32(await this.readBytes(name), info.dtype, `${this.path}: tensor "${name}"`);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export function toFloat32(bytes: Uint8Array, dtype: SafetensorsDtype, what: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.byteLength / bytesPerElement[dtype];
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const widened = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) widened[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    case 'BOOL':
    case 'U8':
      for (let i = 0; i < count; i++) out[i] = bytes[i]!;
      return out;
    case 'I64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true));
      return out;
    case 'I32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      return out;
    default:
      throw new SafetensorsError(`${what} is ${dtype}, which cannot be read as float32`);
  }
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
