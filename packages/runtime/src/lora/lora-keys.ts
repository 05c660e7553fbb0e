/**
 * Where a LoRA file's keys point. They are relative to the two sub-modules the official loader
 * adapts: "model.<path>.parametrizations.weight.0.<tensor>" to the DiT wrapper (root weight
 * "model.model.<path>.weight") and "conditioners.<path>..." to the conditioner (root weight
 * "conditioner.conditioners.<path>.weight").
 */
import { ADAPTER_TENSOR_NAMES, type AdapterTensorName } from './adapter-type.js';

export type LayerPart = 'dit' | 'conditioner';

export interface LayerName {
  /** The module path as the file names it (relative to its sub-module), which include/exclude match. */
  readonly module: string;
  /** The weight's key in the checkpoint. */
  readonly rootKey: string;
  readonly part: LayerPart;
  /** For DiT layers, the path inside the diffusion transformer, which a run-time layer filter matches. */
  readonly ditPath?: string;
}

const PARAMETRIZATION = '.parametrizations.weight.0.';

/** The layer and tensor a key names, or undefined when it is not a LoRA adapter key. */
export function parseLoraKey(key: string): { layer: LayerName; tensor: AdapterTensorName } | undefined {
  const at = key.lastIndexOf(PARAMETRIZATION);
  if (at <= 0) return undefined;
  const tensor = key.slice(at + PARAMETRIZATION.length);
  if (!(ADAPTER_TENSOR_NAMES as readonly string[]).includes(tensor)) return undefined;
  const layer = layerOfModule(key.slice(0, at));
  return layer && { layer, tensor: tensor as AdapterTensorName };
}

export function layerOfModule(module: string): LayerName | undefined {
  if (module.startsWith('model.') && module.length > 'model.'.length) {
    return { module, rootKey: `model.${module}.weight`, part: 'dit', ditPath: module.slice('model.'.length) };
  }
  if (module.startsWith('conditioners.') && module.length > 'conditioners.'.length) {
    return { module, rootKey: `conditioner.${module}.weight`, part: 'conditioner' };
  }
  return undefined;
}
