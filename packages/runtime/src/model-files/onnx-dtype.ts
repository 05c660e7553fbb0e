import { toHalfBits } from './half.js';
import { onnx } from './onnx-proto.js';

/** Element types the builder writes. float16 is not a typed-array type: its bits travel in a Uint16Array. */
export type OnnxDtype = 'float32' | 'float16' | 'float64' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;

const DataType = onnx.TensorProto.DataType;

export const onnxDataType: Readonly<Record<OnnxDtype, number>> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  float64: DataType.DOUBLE,
  int64: DataType.INT64,
  int32: DataType.INT32,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
  bool: DataType.BOOL,
};

const arrayKinds: Readonly<Record<OnnxDtype, string>> = {
  float32: 'Float32Array',
  float16: 'Uint16Array',
  float64: 'Float64Array',
  int64: 'BigInt64Array',
  int32: 'Int32Array',
  int8: 'Int8Array',
  uint8: 'Uint8Array',
  bool: 'Uint8Array',
};

/** The dtype a typed array stands for when none is given (Uint8Array: uint8, Uint16Array: float16 bits). */
export function dtypeOfArray(data: TensorData): OnnxDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'float16';
  return 'uint8';
}

export function checkArrayMatchesDtype(data: TensorData, dtype: OnnxDtype, what: string): void {
  const expected = arrayKinds[dtype];
  if (data.constructor.name !== expected) throw new TypeError(`${what}: dtype ${dtype} needs a ${expected}, got a ${data.constructor.name}`);
}

/** Typed array of `dtype` holding `values` (numbers, or bigints for int64). */
export function arrayOf(dtype: OnnxDtype, values: readonly number[]): TensorData {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(v));
    case 'int32':
      return Int32Array.from(values);
    case 'int8':
      return Int8Array.from(values);
    case 'uint8':
    case 'bool':
      return Uint8Array.from(values, (v) => (dtype === 'bool' ? (v ? 1 : 0) : v));
    case 'float16':
      return toHalfBits(Float32Array.from(values));
  }
}
