export * from './manifest.js';
export { PackError } from './pack-error.js';
export { loadManifest } from './load-manifest.js';
export { verifyPackFiles, sha256File } from './verify-files.js';
export { PackLocator, sa3Home, defaultPackRoots, autoPreference, type LocatedPack } from './pack-locator.js';
export { writeTestPack, TESTPACK_NOTES, noteByWord, type TestPackOptions } from './testpack/index.js';
