export { predictionWorkflow, type PredictionLora, type PredictionWorkflowOptions } from './prediction-workflow.js';
export type { PredictionInput } from './prediction-input.js';
