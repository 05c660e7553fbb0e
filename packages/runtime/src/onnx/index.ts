export { GraphBuilder, type GemmOptions, type Ints, type Operand } from './graph-builder.js';
export { GraphCore, IR_VERSION, OPSET_VERSION, type Attributes, type AttributeValue, type Dim, type ModelInfo, type TensorDeclaration, type Value } from './graph-core.js';
export { dtypeOfArray, type OnnxDtype, type TensorData } from './dtype.js';
export { isFloat, type FloatPrecision } from './mixed-precision.js';
export { DEFAULT_EXTERNAL_THRESHOLD_BYTES, EXTERNAL_DATA_ALIGNMENT, PROTOBUF_LIMIT_BYTES, type SaveOptions, type SavedModel } from './model-file.js';
export { onnx, type OnnxProto } from './proto.js';
export type { TensorValue } from './tensor-proto.js';
