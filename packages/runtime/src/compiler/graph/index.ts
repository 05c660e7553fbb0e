export { GraphBuilder, type GemmOptions, type Ints, type Operand } from './graph-builder.js';
export {
  GraphCore,
  IR_VERSION,
  OPSET_VERSION,
  MICROSOFT_DOMAIN,
  type Attributes,
  type AttributeValue,
  type ModelInfo,
  type TensorDeclaration,
  type Value,
} from './graph-core.js';
export { isFloat, type FloatPrecision } from './mixed-precision.js';
