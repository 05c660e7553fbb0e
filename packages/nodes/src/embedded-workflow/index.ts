export { readEmbeddedWorkflow } from './read.js';
export { detectContainer, type AudioContainer } from './container.js';
export { WAV_SOFTWARE, ID3_DESCRIPTION, VORBIS_KEY } from './keys.js';
// The container parsers, for the writers in @sa3/runtime.
export { concatBytes } from './bytes.js';
export { riffPadded, parseRiff, findChunk, type RiffChunk, type RiffLayout } from './riff.js';
export { isWorkflowInfoList } from './wav.js';
export { parseVorbisComments, vorbisCommentKey, type VorbisComments } from './vorbis-comment.js';
export { parseFlacMetadata, FLAC_BLOCK_VORBIS_COMMENT, FLAC_LAST_BLOCK, type FlacMetadataBlock } from './flac.js';
export { parseOggPages, OGG_CONTINUED, type OggPage } from './ogg-pages.js';
export { readOggHeaders, type OggCodec } from './ogg.js';
export { parseId3Tag, isWorkflowFrame, type Id3Tag, type Id3Frame } from './id3.js';
export { parseTxxx } from './id3-txxx.js';
