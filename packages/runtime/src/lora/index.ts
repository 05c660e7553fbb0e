export { ADAPTER_TYPES, type AdapterType } from './adapter-type.js';
export { safetensorsBaseWeights, type BaseWeights } from './base-weights.js';
export { checkLoraFits } from './fit-check.js';
export type { LoraConfig } from './lora-config.js';
export { LoraError, type LoraErrorCode } from './lora-error.js';
export { readLoraFile, type LayerAdapter, type LoraFile } from './lora-file.js';
export { LoraStack, type MergedLayer, type StackEntry } from './lora-stack.js';
export { computeSvdBases, readSvdBasesFile, type SvdBases, type SvdBasesFile } from './svd-bases.js';
