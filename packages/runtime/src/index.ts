export * from './workflow/index.js';
export * from './executor/index.js';
export * from './audio/index.js';
export { createRuntime, type RuntimeOptions } from './runtime.js';
export * from './engine/index.js';
export * from './packs/index.js';
export { predictionWorkflow } from './predictions/prediction-workflow.js';
export type { PredictionInput } from './predictions/prediction-input.js';
export * from './server/index.js';
