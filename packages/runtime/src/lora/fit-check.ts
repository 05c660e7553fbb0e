/**
 * Refuses a LoRA file that does not fit a model: a layer the model lacks, or adapter tensors
 * whose shapes do not match the base weight (a LoRA for another model family), naming the
 * first such layer in file order.
 */
import { normalisation, type AdapterTensorName } from './adapter-type.js';
import { fans, type BaseWeights } from './base-weights.js';
import { LoraError } from './lora-error.js';
import type { LoraFile } from './lora-file.js';

export function checkLoraFits(file: LoraFile, base: BaseWeights, modelName = 'the model'): void {
  for (const layer of file.layers.values()) {
    const shape = base.shape(layer.rootKey);
    if (!shape) throw new LoraError('unknown_layer', `${file.path} adapts "${layer.module}", but ${modelName} has no weight "${layer.rootKey}"`);
    const dims = fans(shape);
    if (!dims) throw new LoraError('unknown_layer', `${file.path} adapts "${layer.module}", but "${layer.rootKey}" of ${modelName} is not a matrix`);
    const expected = expectedShapes(file, dims.fanOut, dims.fanIn);
    for (const [name, tensor] of Object.entries(layer.tensors) as [AdapterTensorName, { shape: readonly number[] }][]) {
      const want = expected[name];
      if (sameShape(tensor.shape, want)) continue;
      throw new LoraError(
        'shape_mismatch',
        `${file.path} does not fit ${modelName}: its first mismatched layer is "${layer.module}", whose ${name} is [${tensor.shape.join(', ')}] where the weight [${shape.join(', ')}] at rank ${file.config.rank} needs [${want.join(', ')}]`,
      );
    }
  }
}

function expectedShapes(file: LoraFile, fanOut: number, fanIn: number): Record<AdapterTensorName, readonly number[]> {
  const r = file.config.rank;
  const cols = normalisation(file.adapterType) === 'cols';
  return {
    lora_A: [r, fanIn],
    lora_B: [fanOut, r],
    M_xs: [r, r],
    magnitude: [cols ? fanIn : fanOut],
    magnitude_r: [fanOut],
    magnitude_c: [fanIn],
  };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
