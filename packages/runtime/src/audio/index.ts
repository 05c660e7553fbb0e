export { createAudioIO, type AudioIOOptions, DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_DOWNLOAD_BYTES } from './audio-io.js';
export { decodeAudioFile } from './decode.js';
export { MAX_SOURCE_SECONDS } from './source-limits.js';
export { encodeAudio, MIME_TYPES, type EncodeEnvironment } from './encode.js';
export { locateFfmpeg, type FfmpegTools } from './ffmpeg.js';
export { classifySource, type ClassifiedSource } from './sources.js';
export { encodeWav, decodeWav, type WavContents } from './wav.js';
export { embedLoudness, loudnessTags, BEXT, REPLAYGAIN_REFERENCE_LUFS } from './metadata/index.js';
export { embedWorkflow, readEmbeddedWorkflow, detectContainer, type AudioContainer } from './metadata/index.js';
