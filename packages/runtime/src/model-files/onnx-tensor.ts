import { checkArrayMatchesDtype, onnxDataType, type OnnxDtype, type TensorData } from './onnx-dtype.js';
import { onnx, type OnnxProto } from './onnx-proto.js';

/** A tensor held by the builder until the model is written. */
export interface TensorValue {
  readonly dtype: OnnxDtype;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

export function makeTensorValue(data: TensorData, dims: readonly number[], dtype: OnnxDtype, what: string): TensorValue {
  checkArrayMatchesDtype(data, dtype, what);
  for (const d of dims) if (!Number.isInteger(d) || d < 0) throw new RangeError(`${what}: dims [${dims.join(', ')}] must be non-negative integers`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`${what}: dims [${dims.join(', ')}] hold ${count} elements but the data has ${data.length}`);
  return { dtype, dims: [...dims], data };
}

/** The little-endian bytes ONNX raw_data expects (this host is little-endian, as every ORT target is). */
export function tensorBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A TensorProto with the data inline as raw_data. */
export function tensorProto(name: string, tensor: TensorValue): OnnxProto.ITensorProto {
  return { name, dims: [...tensor.dims], dataType: onnxDataType[tensor.dtype], rawData: tensorBytes(tensor.data) };
}

/** A TensorProto whose data lives in an external file, as the ONNX external-data convention describes. */
export function externalTensorProto(name: string, tensor: TensorValue, location: string, offset: number, length: number): OnnxProto.ITensorProto {
  return {
    name,
    dims: [...tensor.dims],
    dataType: onnxDataType[tensor.dtype],
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(length) },
    ],
  };
}
