import { GraphBuilder, type FloatPrecision, type TensorDeclaration } from './graph/index.js';
import type { Checkpoint } from './checkpoint.js';
import { ConvertError } from './convert-error.js';
import { WeightStore, type WeightStoreOptions } from './weight-store.js';
import type { SavedModel } from '../model-files/index.js';

/**
 * What a converted graph computes in: fp16 is a float16 trunk with float32 islands; int8 is a
 * float32 graph whose trunk MatMuls are dynamically quantized (see quantize-int8.ts).
 */
export type ConvertPrecision = 'fp32' | 'fp16' | 'int8';

export const CONVERT_PRECISIONS: readonly ConvertPrecision[] = ['fp32', 'fp16', 'int8'];

export function floatPrecisionOf(precision: ConvertPrecision | undefined): FloatPrecision {
  return precision === 'fp16' ? 'float16' : 'float32';
}

/** A graph written by the converter: its files (relative to the output folder) and signature. */
export interface ConvertedGraph {
  readonly saved: SavedModel;
  readonly inputs: readonly TensorDeclaration[];
  readonly outputs: readonly TensorDeclaration[];
}

/**
 * Builds one graph whose weights stream into `<outDir>/<fileName>.data`, then writes the model;
 * a build that fails leaves no file behind.
 */
export async function writeConvertedGraph<T>(
  outDir: string,
  fileName: string,
  options: WeightStoreOptions,
  info: { readonly graphName: string; readonly docString: string; readonly floatPrecision?: FloatPrecision },
  build: (g: GraphBuilder, store: WeightStore) => Promise<T>,
): Promise<ConvertedGraph & { readonly built: T }> {
  const g = new GraphBuilder(info);
  // Weights take the width of the region that adds them, so an island's weights stay float32.
  const store = new WeightStore(outDir, fileName, options, () => g.floatRegion);
  try {
    const built = await build(g, store);
    const saved = await store.finish(g);
    return { saved, inputs: g.declaredInputs, outputs: g.declaredOutputs, built };
  } catch (error) {
    await store.discard();
    throw error;
  }
}

/** Refuses a checkpoint with tensors under `prefix` the graph did not use: a layout its config does not describe. */
export function refuseUnusedTensors(checkpoint: Checkpoint, prefix: string, part: string, config: string): void {
  const unused = [...checkpoint.keys()].filter((key) => key.startsWith(prefix) && !checkpoint.usedKeys.has(key));
  if (unused.length > 0)
    throw new ConvertError(
      'tensor_unexpected',
      `the ${part} tensor "${unused[0]}" is not part of the ${part} ${config} describes (${unused.length} such tensors), so its layout is unknown`,
    );
}
