export * from './workflow/index.js';
export * from './executor/index.js';
export * from './audio/index.js';
export { createRuntime, type RuntimeOptions } from './runtime.js';
