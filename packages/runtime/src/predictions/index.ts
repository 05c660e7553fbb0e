export { predictionWorkflow } from './prediction-workflow.js';
export type { PredictionInput } from './prediction-input.js';
