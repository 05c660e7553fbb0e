export { writeTestPack, TESTPACK_FILES, type TestPackOptions } from './write-test-pack.js';
export { HALF_CHANNELS, NOTE_COUNT, TESTPACK_NOTES, TONE_AMPLITUDE, noteByWord, noteChannels, toneLatentFrame, type TestNote } from './notes.js';
export { EOS_ID, FILLER_WORDS, PAD_ID, TESTPACK_VOCABULARY, UNK_ID, VOCABULARY_SIZE, tokenId, tokenizerConfigJson, tokenizerJson } from './tokenizer-json.js';
export { expoFourierFrequencies, paddingEmbedding, secondsBias, secondsEmbedding, secondsWeight } from './conditioner-weights.js';
export { analysisBasis, buildDecoder, buildEncoder, synthesisBasis } from './codec-graphs.js';
export { buildConditioner, buildDit, tonePlacement, TEXTURE, type IoNames } from './dit-graph.js';
export { buildTextEncoder, embeddingTable } from './text-encoder-graph.js';
export { writePublishedTestLayout, type PublishedLayoutOptions } from './write-published-layout.js';
export { realShapedModel, type RealShapedFamily, type RealShapedModel, type RealShapedOptions } from './real-shaped-configs.js';
export { checkpointTensorShapes, textEncoderTensorShapes, type TensorFill, type TensorShape } from './real-shaped-tensors.js';
export {
  TEXT_SUBFOLDER,
  realShapedCheckpointSize,
  writeRealShapedCheckpoint,
  type RealShapedCheckpointOptions,
  type WrittenCheckpoint,
} from './real-shaped-checkpoint.js';
export { adaptableWeights, loraDemoModel, writeSyntheticLora, type AdaptedWeight, type SyntheticLoraOptions } from './synthetic-lora.js';
