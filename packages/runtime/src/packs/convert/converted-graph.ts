import type { TensorDeclaration } from '../../onnx/index.js';
import type { SavedModel } from '../../onnx/model-file.js';

/** A graph written by the converter: its files (relative to the output folder) and signature. */
export interface ConvertedGraph {
  readonly saved: SavedModel;
  readonly inputs: readonly TensorDeclaration[];
  readonly outputs: readonly TensorDeclaration[];
}
