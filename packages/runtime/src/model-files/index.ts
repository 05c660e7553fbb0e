export * from './half.js';
export * from './safetensors.js';
export * from './safetensors-writer.js';
export * from './onnx-proto.js';
export * from './onnx-dtype.js';
export * from './onnx-tensor.js';
export * from './onnx-model-file.js';
export * from './protobuf-walk.js';
