export { writeFileAtomic } from './write-file-atomic.js';
export { formatBytes, formatGigabytes } from './format-bytes.js';
export { sha256Hex, stableStringify } from './hash.js';
export { confinedPath, isWithin } from './confined-path.js';
export { fsErrorSentence, isExplainedFsError } from './fs-error-sentence.js';
