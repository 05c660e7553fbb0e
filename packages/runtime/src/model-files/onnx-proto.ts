/**
 * onnx-proto is CommonJS whose module.exports is the protobufjs root ({ onnx }), so ESM code
 * takes the default export; the named import `{ onnx }` is not visible to Node's CJS lexer.
 */
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxProto } from 'onnx-proto';
