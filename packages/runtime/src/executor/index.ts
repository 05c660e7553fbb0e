export * from './executor.js';
export * from './events.js';
export * from './report.js';
export * from './result-cache.js';
export { DiskResultStore, type DiskResultStoreOptions } from './disk-result-store.js';
export * from './device-queue.js';
export { resolveSeeds } from './seeds.js';
