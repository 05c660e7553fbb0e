export { writeFileAtomic } from './write-file-atomic.js';
export { formatBytes, formatGigabytes } from './format-bytes.js';
export { sha256Hex, stableStringify } from './hash.js';
export { confinedPath, isWithin } from './confined-path.js';
export { fsErrorSentence, isExplainedFsError, uncaughtFsErrorSentence } from './fs-error-sentence.js';
export {
  processAlive,
  ownedPrefix,
  removeLeftoversOfDeadProcesses,
  holdTempPath,
  releaseTempPath,
  removeHeldTempPathsSync,
  type LeftoverOptions,
} from './leftovers.js';
export {
  AUDIO_TEMP_PREFIX,
  OUTPUT_STAGING_PREFIX,
  outputStagingName,
  uploadPartialName,
  removeStaleLeftovers,
  type StaleLeftoverPlaces,
} from './stale-leftovers.js';
export { timedFetch, netTimeouts, networkTimeoutOf, NetworkTimeoutError, DEFAULT_NET_TIMEOUTS, type NetTimeouts } from './timed-fetch.js';
