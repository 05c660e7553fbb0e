export { Checkpoint } from './checkpoint.js';
export { conditionerTensors, conditioningWidth, convertConditionerWeights, type ConvertedConditioner } from './conditioner-weights.js';
export {
  CHECKPOINT_FILE,
  CONFIG_FILE,
  convertCheckpoint,
  readModelConfig,
  type CheckpointPart,
  type ConvertCheckpointOptions,
  type ConvertedCheckpoint,
} from './convert-checkpoint.js';
export { ConvertError, type ConvertErrorCode } from './convert-error.js';
export type { ConvertedGraph } from './converted-graph.js';
export { readDitConfig, type DitConfig } from './dit-config.js';
export { convertDit, DIT_PREFIX, type ConvertDitOptions, type ConvertedDit } from './dit-graph.js';
export { readSameConfig, type CodecSide, type SameConfig } from './same-config.js';
export { CODEC_PREFIX, convertSameCodec, type ConvertCodecOptions, type ConvertedCodecGraph } from './same-graphs.js';
export { WeightStore, type WeightStoreOptions } from './weight-store.js';
export { readT5GemmaConfig, type GeluKind, type T5GemmaConfig } from './t5gemma-config.js';
export {
  convertT5GemmaEncoder,
  readT5GemmaConfigFile,
  T5GEMMA_CONFIG_FILE,
  T5GEMMA_WEIGHTS_FILE,
  type ConvertedTextEncoder,
  type ConvertTextEncoderOptions,
  type TextProjection,
} from './t5gemma-encoder-graph.js';
export { CONVERT_PRECISIONS, type ConvertPrecision } from './converted-graph.js';
export { sameDecoderInt8Linears, type Int8Selection } from './quantize-int8.js';
export { readPackConfig, DEFAULT_TEXT_SUBFOLDER, type PackConfig } from './pack-config.js';
export { checkConvertedPack } from './pack-check.js';
export { convertCheckpointToPack, precisionNote, type ConvertToPackOptions, type PackPart } from './convert-to-pack.js';
export * from './graph/index.js';
