export * from './manifest.js';
export * from './graph-io.js';
export * from './model-constants.js';
export { loadManifest } from './load-manifest.js';
export { PackError, type PackErrorCode } from './pack-error.js';
export type { PackSource, ResolvedPack } from './pack-source.js';
export { PACK_ID_PATTERN, packIdProblem } from './pack-id.js';
