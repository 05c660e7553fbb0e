export { RunStore, runsMaxBytesFromEnv, type OutputFacts, type RunToStore, type RunStoreOptions, type StoreOutcome } from './run-store.js';
export type { StoredRun, StoredOutput, StoredEntry, RunRow } from './stored-run.js';
export { downloadName, uniqueNames } from './download-name.js';
export { seedLeadingTo } from './node-seed.js';
