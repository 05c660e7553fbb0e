/**
 * Float precision of a graph built in mixed precision: outside "islands" every float op runs in
 * float16, inside them in float32. The builder applies it as each node is added: float inputs
 * of the other width get a Cast (one per value and width), float outputs take the region's
 * width, and float Constants, ConstantOfShape fills and Cast targets follow the region.
 */
import { fromHalfBits, toHalfBits, onnxDataType, type OnnxDtype, makeTensorValue, type TensorValue } from '../../model-files/index.js';

export type FloatPrecision = 'float32' | 'float16';

export function isFloat(dtype: OnnxDtype): dtype is FloatPrecision {
  return dtype === 'float32' || dtype === 'float16';
}

/** Ops whose inputs are read for their shape or converted anyway: never cast in front of them. */
const SHAPE_ONLY_OPS = new Set(['Shape', 'Size', 'Cast']);

/** Inputs ONNX requires to be float32 whatever the data's type (Resize scales). */
const FLOAT32_INPUTS: Readonly<Record<string, readonly number[]>> = { Resize: [2] };

/** Whether input `index` of `opType` follows the region's precision. */
export function followsPrecision(opType: string, index: number): boolean {
  return !SHAPE_ONLY_OPS.has(opType) && !(FLOAT32_INPUTS[opType]?.includes(index) ?? false);
}

/** The same values in the other float width (float16 rounds to nearest even; overflow becomes ±inf). */
export function convertTensor(tensor: TensorValue, to: FloatPrecision): TensorValue {
  if (!isFloat(tensor.dtype) || tensor.dtype === to) return tensor;
  const data = to === 'float16' ? toHalfBits(tensor.data as Float32Array) : fromHalfBits(tensor.data as Uint16Array);
  return makeTensorValue(data, tensor.dims, to, 'converted tensor');
}

/** The `to` attribute of a Cast to a float type, moved to the region's width. */
export function castTarget(to: number, region: FloatPrecision): number {
  return to === onnxDataType.float32 || to === onnxDataType.float16 ? onnxDataType[region] : to;
}
